package dev.tamperwatch.job;

import dev.tamperwatch.job.alert.AlertFormat;
import dev.tamperwatch.job.io.Decoded;
import dev.tamperwatch.job.io.KafkaSettings;
import dev.tamperwatch.job.io.KafkaSettings.StartingOffsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code tamperwatch-detect} job on Kafka: the main class of the shaded job jar for {@code
 * flink run}. Bad arguments print one precise message and exit with status 2.
 */
@Command(
        name = "tamperwatch-detect",
        mixinStandardHelpOptions = true,
        description =
                "Reads events from Kafka, keeps per-identity and per-agent baselines and "
                        + "publishes explained deviation alerts.")
public final class DetectJob implements Callable<Integer> {

    /** Largest lead in event time of one partition over the slowest while reading. */
    static final Duration MAX_PARTITION_DRIFT = Duration.ofMinutes(5);

    /** Job name shown by Flink. */
    public static final String NAME = "tamperwatch-detect";

    @Spec CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--group-id",
            defaultValue = NAME,
            description =
                    "Consumer group, also the transactional id prefix (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(
            names = "--starting-offsets",
            defaultValue = "EARLIEST",
            description =
                    "Where to start without committed offsets: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    StartingOffsets startingOffsets;

    @Option(
            names = "--delivery",
            defaultValue = "AT_LEAST_ONCE",
            description =
                    "Sink guarantee: AT_LEAST_ONCE or EXACTLY_ONCE (default: ${DEFAULT-VALUE}).")
    DeliveryGuarantee delivery;

    @Option(
            names = "--kafka-property",
            description = "Extra Kafka client property, k=v; repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--parallelism", description = "Job parallelism (default: the cluster's).")
    Integer parallelism;

    @Option(
            names = "--window",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "Baseline scoring window (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--false-alarm-rate",
            defaultValue = "1e-5",
            description = "Target false alarms per key and window (default: ${DEFAULT-VALUE}).")
    double falseAlarmRate;

    @Option(
            names = "--max-out-of-orderness",
            defaultValue = "1m",
            converter = DurationConverter.class,
            description = "Allowed event-time lateness (default: ${DEFAULT-VALUE}).")
    Duration maxOutOfOrderness;

    @Option(
            names = "--idleness",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Idle partition timeout (default: ${DEFAULT-VALUE}).")
    Duration idleness;

    @Option(
            names = "--alert-format",
            defaultValue = "OCSF",
            description = "Alert format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    AlertFormat alertFormat;

    @Option(
            names = "--peer-seeding",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Start keys without history from their peer group's baseline (application,"
                            + " agent type, provider); their first events wait for the watermark"
                            + " (default: on).")
    boolean peerSeeding;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with case-insensitive enum values. */
    public static CommandLine commandLine() {
        return new CommandLine(new DetectJob()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (parallelism != null) {
            env.setParallelism(parallelism);
        }
        attach(env, kafkaSettings(), pipelineConfig(), checkpointInterval);
        env.execute(NAME);
        return 0;
    }

    /** The Kafka settings given on the command line. */
    public KafkaSettings kafkaSettings() {
        return new KafkaSettings(
                bootstrapServers, groupId, startingOffsets, delivery, kafkaProperties);
    }

    /** The pipeline configuration given on the command line; throws on out-of-range values. */
    public PipelineConfig pipelineConfig() {
        try {
            return PipelineConfig.defaults()
                    .withWindow(window)
                    .withFalseAlarmRate(falseAlarmRate)
                    .withMaxOutOfOrderness(maxOutOfOrderness)
                    .withIdleness(idleness)
                    .withAlertFormat(alertFormat)
                    .withPeerSeeding(peerSeeding);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Enables checkpointing and adds the detect pipeline between Kafka source and sinks. The
     * partitions are read with aligned watermarks: one whose watermark runs more than {@link
     * #MAX_PARTITION_DRIFT} ahead of the slowest pauses until the others catch up, so that a
     * partition read slowly during a backlog does not find the watermark days ahead and its events
     * too late to score. Records already fetched still arrive a batch of one partition at a time;
     * the model baselines, fed from every partition, order their events themselves.
     */
    public static void attach(
            StreamExecutionEnvironment env,
            KafkaSettings kafka,
            PipelineConfig config,
            Duration checkpointInterval) {
        env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        WatermarkStrategy<Decoded> watermarks =
                Pipeline.watermarks(config)
                        .withWatermarkAlignment(
                                "events", MAX_PARTITION_DRIFT, Duration.ofMillis(200));
        Pipeline.define(
                        env.fromSource(kafka.eventsSource(), watermarks, "events source")
                                .uid("events-source"),
                        config)
                .sinkTo(kafka.alertSink(), kafka.deadLetterSink());
    }
}
