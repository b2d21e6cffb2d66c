package dev.tamperwatch.load.bench;

import dev.tamperwatch.job.DurationConverter;
import dev.tamperwatch.job.Pipeline;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.baseline.DetectorSuite;
import dev.tamperwatch.job.baseline.Subject;
import dev.tamperwatch.job.io.Decoded;
import dev.tamperwatch.job.io.SplitDeadLetters;
import dev.tamperwatch.load.JailbreakCampaign;
import dev.tamperwatch.load.PromptInjection;
import dev.tamperwatch.load.ScenarioPlan;
import dev.tamperwatch.load.TrafficProfile;
import dev.tamperwatch.schema.avro.Event;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end throughput of the detect pipeline on a local Flink MiniCluster, against pipelines of
 * the same shape without detectors, measured side by side in one JVM.
 *
 * <p>Seeded traffic ({@link ScenarioPlan}: normal history plus a jailbreak campaign and a prompt
 * injection) is generated and encoded once ({@link EncodedEvents}); every run reads the same bytes
 * through {@link EncodedEventsSource}, which decodes them with the pipeline's record decoder inside
 * the source, with the pipeline's watermarks. Three graphs run in rotating order each round:
 *
 * <ul>
 *   <li>{@code decode}: source and decode, dead letters split off, events discarded;
 *   <li>{@code pass-through}: as {@code decode}, then the keyed shuffle of every {@link Subject}
 *       the pipeline keeps baselines for (events without that subject filtered out) into keyed
 *       functions that only count;
 *   <li>{@code detect}: {@link Pipeline#define(StreamExecutionEnvironment,
 *       org.apache.flink.api.connector.source.Source, PipelineConfig)}, alerts and dead letters
 *       discarded.
 * </ul>
 *
 * <p>A run's rate is events over the time from the first record read to the end of the job (its
 * start-up is excluded). The rounds after the warm-up ones are reported per run, as medians and as
 * the median of the per-round ratios {@code detect / pass-through}. Last, the keyed state left by
 * the stream is measured with {@link KeyedStateSizes}.
 *
 * <p>Runs from the module jar and {@code target/lib} (the runtime dependencies, Flink included),
 * with Flink's JDK 17 module opens ({@code flink.jvm.opens} in the parent POM): {@code java
 * --add-opens=... -cp
 * 'load-tests/target/tamperwatch-load-tests-<version>.jar:load-tests/target/lib/*'
 * dev.tamperwatch.load.bench.PipelineThroughput --help}.
 */
@Command(
        name = "pipeline-throughput",
        mixinStandardHelpOptions = true,
        description =
                "Events/s of the detect pipeline on a Flink MiniCluster, side by side with the "
                        + "same source and shuffles without detectors.")
public final class PipelineThroughput implements Callable<Integer> {

    /** The graphs compared. */
    public enum Variant {
        DECODE("decode"),
        PASS_THROUGH("pass-through"),
        DETECT("detect");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    /** Accumulator counting the valid events (decode). */
    static final String VALID_EVENTS = "valid events";

    /** Accumulator counting the alerts (detect). */
    static final String ALERTS = "alerts";

    @Option(
            names = "--events",
            defaultValue = "1000000",
            description =
                    "Events generated and pushed through every run (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--identities",
            defaultValue = "2000",
            description = "Identities (users) of the tenant (default: ${DEFAULT-VALUE}).")
    int identities;

    @Option(
            names = "--agents",
            defaultValue = "200",
            description = "Agents of the tenant (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--embeddings", description = "Prompts and outputs carry 384-dim embeddings.")
    boolean embeddings;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallelism of every operator (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "Measured rounds of every variant (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--warm-up-rounds",
            defaultValue = "1",
            description = "Unreported rounds first (default: ${DEFAULT-VALUE}).")
    int warmUpRounds;

    @Option(
            names = "--checkpoint-interval",
            converter = DurationConverter.class,
            description = "Checkpoint interval, exactly-once (default: no checkpoints).")
    Duration checkpointInterval;

    @Option(
            names = "--skip-state-sizes",
            description = "Do not replay the stream to measure the keyed state.")
    boolean skipStateSizes;

    private final PrintStream out;

    public PipelineThroughput() {
        this(System.out);
    }

    PipelineThroughput(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineThroughput()).execute(args));
    }

    /**
     * The result of one run.
     *
     * @param counts what the graph's last operators counted, by accumulator name
     */
    public record Run(Variant variant, long events, double seconds, Map<String, Long> counts) {
        public double eventsPerSecond() {
            return events / seconds;
        }

        String describeCounts() {
            StringBuilder text = new StringBuilder();
            counts.forEach(
                    (name, count) ->
                            text.append(text.length() == 0 ? "" : ", ")
                                    .append(String.format(Locale.ROOT, "%s %,d", name, count)));
            return text.toString();
        }
    }

    @Override
    public Integer call() throws Exception {
        PipelineConfig config = PipelineConfig.defaults();
        long began = System.nanoTime();
        EncodedEvents store = EncodedEvents.encode(plan().events(), events);
        out.printf(
                Locale.ROOT,
                "generated %,d events (%,d identities, %,d agents, seed %d%s), %.1f bytes/event"
                        + " encoded, in %.1f s%n",
                store.size(),
                identities,
                agents,
                seed,
                embeddings ? ", embeddings" : "",
                (double) store.totalBytes() / store.size(),
                (System.nanoTime() - began) / 1e9);
        out.printf(
                Locale.ROOT,
                "parallelism %d, %s, %d warm-up + %d measured rounds, JVM max heap %,d MiB, %d"
                        + " processors%n",
                parallelism,
                checkpointInterval == null
                        ? "no checkpoints"
                        : "checkpoints every " + checkpointInterval,
                warmUpRounds,
                rounds,
                Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        for (Subject subject : Subject.values()) {
            out.printf(
                    Locale.ROOT,
                    "detectors of %s baselines: %s%n",
                    subject.operatorName(),
                    DetectorSuite.bindings(subject, config).stream()
                            .map(binding -> binding.detector().name())
                            .toList());
        }
        String id = EncodedEvents.register(store);
        try {
            Map<Variant, List<Run>> runs = new EnumMap<>(Variant.class);
            for (int round = 0; round < warmUpRounds + rounds; round++) {
                boolean measured = round >= warmUpRounds;
                Variant[] order = Variant.values();
                for (int i = 0; i < order.length; i++) {
                    Variant variant = order[(i + round) % order.length];
                    Run run = run(variant, id, config);
                    out.printf(
                            Locale.ROOT,
                            "%s round %d: %-12s %,10.0f events/s (%.2f s, %s)%n",
                            measured ? "measured" : "warm-up",
                            measured ? round - warmUpRounds + 1 : round + 1,
                            variant.label,
                            run.eventsPerSecond(),
                            run.seconds(),
                            run.describeCounts());
                    if (measured) {
                        runs.computeIfAbsent(variant, v -> new ArrayList<>()).add(run);
                    }
                }
            }
            out.println();
            out.print(summary(runs));
        } finally {
            EncodedEvents.unregister(id);
        }
        if (!skipStateSizes) {
            out.println();
            out.println("keyed state at the end of the stream (encoded bytes per key):");
            out.print(KeyedStateSizes.table(KeyedStateSizes.measure(store, config)));
        }
        return 0;
    }

    ScenarioPlan plan() {
        TrafficProfile profile =
                TrafficProfile.defaults(seed)
                        .withIdentitiesPerTenant(identities)
                        .withAgentsPerTenant(agents)
                        .withHistory(Duration.ofDays(2))
                        .withEmbeddings(embeddings);
        return ScenarioPlan.builder(profile)
                .attack(Duration.ofMinutes(5), JailbreakCampaign.randomIdentity())
                .attack(Duration.ofMinutes(20), PromptInjection.randomAgent())
                .build();
    }

    /** Runs one variant over the registered events; blocks until the job has finished. */
    Run run(Variant variant, String storeId, PipelineConfig config) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // As the pipeline sets for itself, so that every graph shares records between chained
        // operators alike.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        if (checkpointInterval != null) {
            env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        define(env, variant, new EncodedEventsSource(storeId), config);
        EncodedEvents store = EncodedEvents.lookUp(storeId);
        store.resetClock();
        JobExecutionResult result = env.execute("pipeline-throughput " + variant.label);
        long ended = System.nanoTime();
        double seconds = (ended - store.firstReadNanos()) / 1e9;
        Map<String, Long> counts = new TreeMap<>();
        result.getAllAccumulatorResults()
                .forEach((name, value) -> counts.put(name, ((Number) value).longValue()));
        return new Run(variant, store.size(), seconds, counts);
    }

    /** Adds the graph of {@code variant} reading {@code source}. */
    static void define(
            StreamExecutionEnvironment env,
            Variant variant,
            EncodedEventsSource source,
            PipelineConfig config) {
        if (variant == Variant.DETECT) {
            Pipeline.Outputs outputs = Pipeline.define(env, source, config);
            outputs.alerts()
                    .process(new Count<>(ALERTS), Types.STRING)
                    .uid("count-alerts")
                    .sinkTo(new DiscardingSink<>())
                    .uid("discard-alerts");
            outputs.deadLetters().sinkTo(new DiscardingSink<>()).uid("discard-dead-letters");
            return;
        }
        DataStream<Decoded> records =
                env.fromSource(source, Pipeline.watermarks(config), "events source")
                        .uid("events-source");
        SingleOutputStreamOperator<Event> events =
                records.process(new SplitDeadLetters()).uid("dead-letters");
        events.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .sinkTo(new DiscardingSink<>())
                .uid("discard-dead-letters");
        if (variant == Variant.DECODE) {
            events.process(new Count<>(VALID_EVENTS), Types.STRING)
                    .uid("count-events")
                    .sinkTo(new DiscardingSink<>())
                    .uid("discard-events");
            return;
        }
        for (Subject subject : Subject.values()) {
            String name = subject.operatorName();
            events.filter(event -> subject.keyOf(event) != null)
                    .uid(name + "-events")
                    .keyBy(subject::keyOf, Types.STRING)
                    .process(new CountKeyed(name + " events"), Types.STRING)
                    .uid(name + "-pass-through")
                    .sinkTo(new DiscardingSink<>())
                    .uid(name + "-discard");
        }
    }

    String summary(Map<Variant, List<Run>> runs) {
        StringBuilder text = new StringBuilder();
        text.append("| variant | events/s per round | median events/s | vs pass-through |\n");
        text.append("|---|---|---:|---:|\n");
        double passThrough = median(rates(runs.get(Variant.PASS_THROUGH)));
        for (Variant variant : Variant.values()) {
            double[] rates = rates(runs.get(variant));
            StringBuilder perRound = new StringBuilder();
            for (double rate : rates) {
                perRound.append(perRound.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%,.0f", rate));
            }
            text.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %,.0f | %.2f |%n",
                            variant.label,
                            perRound,
                            median(rates),
                            median(rates) / passThrough));
        }
        double[] ratios = ratios(runs.get(Variant.DETECT), runs.get(Variant.PASS_THROUGH));
        text.append(
                String.format(
                        Locale.ROOT,
                        "%ndetect / pass-through, per round: %s; median %.2f%n",
                        Arrays.toString(
                                Arrays.stream(ratios)
                                        .mapToObj(r -> String.format(Locale.ROOT, "%.2f", r))
                                        .toArray()),
                        median(ratios)));
        return text.toString();
    }

    private static double[] rates(List<Run> runs) {
        return runs == null
                ? new double[0]
                : runs.stream().mapToDouble(Run::eventsPerSecond).toArray();
    }

    private static double[] ratios(List<Run> numerators, List<Run> denominators) {
        int n = Math.min(numerators.size(), denominators.size());
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            ratios[i] = numerators.get(i).eventsPerSecond() / denominators.get(i).eventsPerSecond();
        }
        return ratios;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Counts its input into an accumulator and emits nothing. */
    static final class Count<T> extends ProcessFunction<T, String> {
        private final String accumulator;
        private transient LongCounter counter;

        Count(String accumulator) {
            this.accumulator = accumulator;
        }

        @Override
        public void open(OpenContext openContext) {
            counter = new LongCounter();
            getRuntimeContext().addAccumulator(accumulator, counter);
        }

        @Override
        public void processElement(T value, Context ctx, Collector<String> out) {
            counter.add(1L);
        }
    }

    /** A keyed function without state: counts its input into an accumulator, emits nothing. */
    static final class CountKeyed extends KeyedProcessFunction<String, Event, String> {
        private final String accumulator;
        private transient LongCounter counter;

        CountKeyed(String accumulator) {
            this.accumulator = accumulator;
        }

        @Override
        public void open(OpenContext openContext) {
            counter = new LongCounter();
            getRuntimeContext().addAccumulator(accumulator, counter);
        }

        @Override
        public void processElement(Event value, Context ctx, Collector<String> out) {
            counter.add(1L);
        }
    }
}
