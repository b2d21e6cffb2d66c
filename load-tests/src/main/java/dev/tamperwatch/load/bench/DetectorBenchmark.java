package dev.tamperwatch.load.bench;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.load.TrafficProfile;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-event cost of one detector family on one key and one thread, three ways, each reported in
 * events per second:
 *
 * <ul>
 *   <li>{@code detector}: {@link Detector#onEvent} on a state kept as an object — the model's
 *       update and score math alone;
 *   <li>{@code detectorWithStateCodec}: what the Flink operator does per event today — decode the
 *       stored bytes, {@code onEvent}, encode the state again;
 *   <li>{@code reference}: a plain implementation of the same test with textbook data structures
 *       and Commons Math, to put the detector's figure in proportion.
 * </ul>
 *
 * <p>Observations come from {@link BenchInputs} and are replayed cyclically; event time advances by
 * {@code window / eventsPerWindow} per event, so windows keep closing and being scored (their cost
 * is amortized over the events of a window). Every state is warmed up over {@link #WARM_UP_WINDOWS}
 * windows first, so that scoring is live.
 *
 * @param <I> observation type
 * @param <S> state type
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public abstract class DetectorBenchmark<I, S> {

    /** Events per benchmark invocation. */
    public static final int BATCH = 1024;

    /** Windows every state sees before measurement. */
    public static final int WARM_UP_WINDOWS = 200;

    /** Event time of the first event. */
    public static final long START = TrafficProfile.DEFAULT_START.toEpochMilli();

    /** Events in each window of the key: a quiet key (a few per window) or a busy one. */
    @Param({"8", "64"})
    public int eventsPerWindow;

    /** Windows of warm-up; fewer only in tests. */
    int warmUpWindows = WARM_UP_WINDOWS;

    private Detector<I, S> detector;
    private StateCodec<S> codec;
    private I[] inputs;
    private S state;
    private byte[] stored;
    private int cursor;
    private long time;
    private long step;

    /** The detector under test, with its default configuration. */
    protected abstract Detector<I, S> createDetector();

    /** Observations to replay; the length must be a power of two. */
    protected abstract I[] createInputs();

    /** Window length of the detector (and of the reference). */
    protected abstract Duration window();

    /** Starts a fresh reference implementation. */
    protected abstract void resetReference();

    /** Feeds one observation to the reference; returns what it found (to be consumed). */
    protected abstract int referenceOnEvent(I input, long eventTime);

    @Setup(Level.Trial)
    public void setUp() {
        detector = createDetector();
        codec = detector.codec();
        inputs = createInputs();
        if (Integer.bitCount(inputs.length) != 1) {
            throw new IllegalStateException("inputs must be a power of two: " + inputs.length);
        }
        step = Math.max(1, window().toMillis() / eventsPerWindow);
        state = detector.newState();
        resetReference();
        time = START;
        cursor = 0;
        for (long i = 0; i < (long) warmUpWindows * eventsPerWindow; i++) {
            I input = inputs[cursor];
            detector.onEvent(state, input, time);
            referenceOnEvent(input, time);
            advance();
        }
        stored = codec.encode(state);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void detector(Blackhole blackhole) {
        for (int i = 0; i < BATCH; i++) {
            blackhole.consume(detector.onEvent(state, inputs[cursor], time));
            advance();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void detectorWithStateCodec(Blackhole blackhole) {
        for (int i = 0; i < BATCH; i++) {
            S loaded = codec.decode(stored);
            blackhole.consume(detector.onEvent(loaded, inputs[cursor], time));
            stored = codec.encode(loaded);
            advance();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void reference(Blackhole blackhole) {
        for (int i = 0; i < BATCH; i++) {
            blackhole.consume(referenceOnEvent(inputs[cursor], time));
            advance();
        }
    }

    /** The state as the benchmark left it (for tests). */
    S state() {
        return state;
    }

    /** The stored bytes as the codec benchmark left them (for tests). */
    byte[] stored() {
        return stored;
    }

    Detector<I, S> detectorUnderTest() {
        return detector;
    }

    private void advance() {
        cursor = (cursor + 1) & (inputs.length - 1);
        time += step;
    }
}
