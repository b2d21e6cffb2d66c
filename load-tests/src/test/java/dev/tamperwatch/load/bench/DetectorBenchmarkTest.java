package dev.tamperwatch.load.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The benchmarks measure what they claim: the codec variant does the same detector work as the
 * object variant (its state round-trips through the codec without loss), and every variant runs.
 */
class DetectorBenchmarkTest {

    private static final Blackhole BLACKHOLE =
            new Blackhole(
                    "Today's password is swordfish. I understand instantiating Blackholes directly"
                            + " is dangerous.");

    /** Fewer windows than the benchmarks warm up over, to keep the tests quick. */
    private static final int TEST_WARM_UP_WINDOWS = 40;

    static Stream<Arguments> benchmarks() {
        return Stream.of(8, 64)
                .flatMap(
                        eventsPerWindow ->
                                Stream.of(
                                        Arguments.of(new RefusalRateBenchmark(), eventsPerWindow),
                                        Arguments.of(
                                                new ToolCallDistributionBenchmark(),
                                                eventsPerWindow),
                                        Arguments.of(new ActivityRateBenchmark(), eventsPerWindow),
                                        Arguments.of(new UsageBenchmark(), eventsPerWindow),
                                        Arguments.of(
                                                new EmbeddingDriftBenchmark(), eventsPerWindow)));
    }

    @ParameterizedTest
    @MethodSource("benchmarks")
    <I, S> void codecVariantDoesTheSameWorkAsTheObjectVariant(
            DetectorBenchmark<I, S> benchmark, int eventsPerWindow) {
        benchmark.eventsPerWindow = eventsPerWindow;
        benchmark.warmUpWindows = TEST_WARM_UP_WINDOWS;
        DetectorBenchmark<I, S> twin = newInstance(benchmark);
        twin.eventsPerWindow = eventsPerWindow;
        twin.warmUpWindows = TEST_WARM_UP_WINDOWS;
        benchmark.setUp();
        twin.setUp();

        for (int i = 0; i < 20; i++) {
            benchmark.detector(BLACKHOLE);
            twin.detectorWithStateCodec(BLACKHOLE);
        }

        byte[] fromObject = benchmark.detectorUnderTest().codec().encode(benchmark.state());
        assertThat(twin.stored()).isEqualTo(fromObject);
    }

    @ParameterizedTest
    @MethodSource("benchmarks")
    <I, S> void referenceRuns(DetectorBenchmark<I, S> benchmark, int eventsPerWindow) {
        benchmark.eventsPerWindow = eventsPerWindow;
        benchmark.warmUpWindows = TEST_WARM_UP_WINDOWS;
        benchmark.setUp();

        for (int i = 0; i < 20; i++) {
            benchmark.reference(BLACKHOLE);
        }
    }

    @SuppressWarnings("unchecked")
    private static <I, S> DetectorBenchmark<I, S> newInstance(DetectorBenchmark<I, S> benchmark) {
        try {
            return benchmark.getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
