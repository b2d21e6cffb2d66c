package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.Pipeline;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.alert.AlertFormat;
import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.job.backtest.BacktestMetrics.DeadLetterRef;
import dev.tamperwatch.job.io.DeadLetterRecord;
import dev.tamperwatch.job.io.Decoded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * One replay: the detect pipeline ({@link Pipeline#define}) over a bounded source, every output
 * collected by the client. Runs in STREAMING mode, with the source and every operator at
 * parallelism 1 and watermarks driven by the data ({@link DeterministicWatermarks}), so that a
 * replay of the same files gives the same alerts, in the same order once sorted by (time, uid).
 * Kafka input with several partitions is read in an order that depends on fetch timing; results can
 * then differ slightly between runs.
 */
public final class BacktestRun {

    /** Job name shown by Flink. */
    public static final String JOB_NAME = "tamperwatch-backtest";

    /** Event time by which the watermark may advance at most once. */
    static final long WATERMARK_STEP_MILLIS = 1_000;

    /**
     * Network buffer timeout: short, so that watermarks reach operators with two inputs (event
     * streams joined with broadcast peer baselines) about as soon as events do, as in a live
     * stream, instead of lagging by a buffer's worth of replayed records.
     */
    static final long BUFFER_TIMEOUT_MILLIS = 1;

    /** Idleness of the replay: never reached, so wall-clock pauses cannot change results. */
    static final Duration IDLENESS = Duration.ofDays(3650);

    /**
     * What a replay produced.
     *
     * @param config the configuration the pipeline ran with
     * @param alerts every alert about the replayed time, sorted by (time, uid)
     * @param afterEnd alerts about time after the last event ({@link AlertFacts#isAfter}), raised
     *     when the end of input closed incomplete windows; not counted
     * @param deadLetters every dead letter, in input order, with origin and reason
     * @param scores every score, compacted for plotting
     * @param input what was read
     */
    public record Result(
            PipelineConfig config,
            List<AlertRecord> alerts,
            List<AlertRecord> afterEnd,
            List<DeadLetterRef> deadLetters,
            ScoreTimelines scores,
            InputStats input) {}

    /** Progress reported while a replay runs. */
    public interface Listener {
        void progress(long records, long alerts);
    }

    private BacktestRun() {}

    /**
     * The configuration a replay runs with: {@code config} with scores on, OCSF alerts and an
     * idleness no replay reaches.
     */
    public static PipelineConfig replayConfig(PipelineConfig config) {
        return config.withScores(true).withAlertFormat(AlertFormat.OCSF).withIdleness(IDLENESS);
    }

    /**
     * Replays {@code input} through the pipeline and waits for the end.
     *
     * @throws Exception if the job fails, e.g. on an unreadable file
     */
    public static Result run(EventInput input, PipelineConfig config, Listener listener)
            throws Exception {
        PipelineConfig effective = replayConfig(config);
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.setBufferTimeout(BUFFER_TIMEOUT_MILLIS);
        env.getConfig().setAutoWatermarkInterval(0);

        DataStream<Decoded> records =
                env.fromSource(
                                input.source(),
                                new DeterministicWatermarks(
                                        Pipeline.watermarks(effective), WATERMARK_STEP_MILLIS),
                                "events source")
                        .uid("events-source")
                        .setParallelism(1);
        if (input.fromEventTime() != Long.MIN_VALUE || input.toEventTime() != Long.MAX_VALUE) {
            records =
                    records.filter(new EventTimeRange(input.fromEventTime(), input.toEventTime()))
                            .uid("event-time-range")
                            .name("event-time range");
        }
        SingleOutputStreamOperator<Decoded> counted =
                records.transform(
                                "input statistics",
                                TypeInformation.of(Decoded.class),
                                new InputStatsOperator())
                        .uid("input-statistics")
                        .setParallelism(1);
        Pipeline.Outputs outputs = Pipeline.define(counted, effective);

        TypeInformation<BacktestOutput> type = TypeInformation.of(BacktestOutput.class);
        DataStream<BacktestOutput> all =
                outputs.alerts()
                        .map(BacktestOutput::of, type)
                        .name("collect alerts")
                        .union(
                                outputs.deadLetters()
                                        .map(BacktestOutput::of, type)
                                        .name("collect dead letters"),
                                outputs.scores()
                                        .map(BacktestOutput::of, type)
                                        .name("collect scores"),
                                counted.getSideOutput(InputStatsOperator.STATS)
                                        .map(BacktestOutput::of, type)
                                        .name("collect input statistics"));

        List<AlertRecord> alerts = new ArrayList<>();
        List<DeadLetterRecord> deadLetters = new ArrayList<>();
        ScoreTimelines scores = new ScoreTimelines();
        InputStats last = new InputStats();
        try (CloseableIterator<BacktestOutput> results = all.executeAndCollect(JOB_NAME)) {
            while (results.hasNext()) {
                BacktestOutput out = results.next();
                if (out.alert != null) {
                    alerts.add(out.alert);
                } else if (out.deadLetter != null) {
                    deadLetters.add(out.deadLetter);
                } else if (out.score != null) {
                    scores.add(out.score);
                } else if (out.stats != null) {
                    last = out.stats;
                    listener.progress(last.records, alerts.size());
                }
            }
        }
        if (!last.complete) {
            throw new IllegalStateException("the replay ended without its final input statistics");
        }
        alerts.sort(
                Comparator.comparingLong((AlertRecord a) -> a.time)
                        .thenComparing(a -> a.uid)
                        .thenComparing(a -> a.json));
        deadLetters.sort(
                Comparator.comparing((DeadLetterRecord d) -> String.valueOf(d.sourceTopic))
                        .thenComparingInt(d -> d.sourcePartition)
                        .thenComparingLong(d -> d.sourceOffset)
                        .thenComparing(d -> d.errorMessage));
        List<DeadLetterRef> refs =
                deadLetters.stream()
                        .map(d -> new DeadLetterRef(origin(input, d), d.errorClass, d.errorMessage))
                        .toList();
        List<AlertRecord> kept = new ArrayList<>();
        List<AlertRecord> afterEnd = new ArrayList<>();
        for (AlertRecord alert : alerts) {
            boolean late = last.events > 0 && AlertFacts.of(alert).isAfter(last.maxEventTime);
            (late ? afterEnd : kept).add(alert);
        }
        return new Result(effective, kept, afterEnd, refs, scores, last);
    }

    /** Where a dead letter came from; a late event is known by its key only. */
    private static String origin(EventInput input, DeadLetterRecord letter) {
        return letter.sourceTopic == null
                ? new String(letter.key, StandardCharsets.UTF_8)
                : input.origin(letter);
    }
}
