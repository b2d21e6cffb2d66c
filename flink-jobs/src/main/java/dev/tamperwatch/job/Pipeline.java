package dev.tamperwatch.job;

import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.job.baseline.BaselineFunction;
import dev.tamperwatch.job.baseline.PeerBaselineFunction;
import dev.tamperwatch.job.baseline.PeerSnapshot;
import dev.tamperwatch.job.baseline.ScoreRecord;
import dev.tamperwatch.job.baseline.Subject;
import dev.tamperwatch.job.io.DeadLetterRecord;
import dev.tamperwatch.job.io.Decoded;
import dev.tamperwatch.job.io.EventTimeWatermarks;
import dev.tamperwatch.job.io.SplitDeadLetters;
import dev.tamperwatch.schema.avro.Event;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The detect pipeline, the one definition that production, tests, backtests and benchmarks run with
 * different sources and sinks: decoded records with event-time watermarks per source split (bad
 * records to dead letters), identity baselines keyed by principal, agent baselines keyed by agent,
 * alerts.
 */
public final class Pipeline {

    private Pipeline() {}

    /**
     * The result streams of the pipeline; {@code scores} is empty unless {@link
     * PipelineConfig#emitScores()}.
     */
    public record Outputs(
            DataStream<AlertRecord> alerts,
            DataStream<DeadLetterRecord> deadLetters,
            DataStream<ScoreRecord> scores) {

        /** Attaches sinks to both streams, each with a stable uid. */
        public void sinkTo(Sink<AlertRecord> alertSink, Sink<DeadLetterRecord> deadLetterSink) {
            alerts.sinkTo(alertSink).uid("alerts-sink").name("alerts sink");
            deadLetters.sinkTo(deadLetterSink).uid("dead-letter-sink").name("dead-letter sink");
        }
    }

    /**
     * Adds the pipeline reading {@code source}, whose records are decoded in the source so that
     * watermarks follow each split (Kafka partition, file), and returns its outputs.
     */
    public static Outputs define(
            StreamExecutionEnvironment env, Source<Decoded, ?, ?> source, PipelineConfig config) {
        return define(
                env.fromSource(source, watermarks(config), "events source").uid("events-source"),
                config);
    }

    /**
     * Adds the pipeline reading {@code records}, which already carry timestamps and watermarks, and
     * turns on object reuse in its environment: no operator of the pipeline changes a record or
     * keeps one it passed on, so the operators chained to one output may share its records instead
     * of each receiving a deep copy of every event.
     */
    public static Outputs define(DataStream<Decoded> records, PipelineConfig config) {
        records.getExecutionEnvironment().getConfig().enableObjectReuse();
        SingleOutputStreamOperator<Event> events =
                records.process(new SplitDeadLetters())
                        .uid("dead-letters")
                        .name("split dead letters");

        DataStream<AlertRecord> alerts = null;
        DataStream<ScoreRecord> scores = null;
        DataStream<DeadLetterRecord> deadLetters =
                events.getSideOutput(SplitDeadLetters.DEAD_LETTERS);
        for (Subject subject : Subject.values()) {
            SingleOutputStreamOperator<AlertRecord> subjectAlerts =
                    baselines(events, subject, config);
            DataStream<ScoreRecord> subjectScores =
                    subjectAlerts.getSideOutput(BaselineFunction.SCORES);
            alerts = alerts == null ? subjectAlerts : alerts.union(subjectAlerts);
            scores = scores == null ? subjectScores : scores.union(subjectScores);
            deadLetters = deadLetters.union(subjectAlerts.getSideOutput(BaselineFunction.LATE));
        }
        return new Outputs(alerts, deadLetters, scores);
    }

    /**
     * Baselines of one subject, keyed by {@link Subject#keyOf}; with peer seeding on, a peer-group
     * operator keyed by {@link Subject#peerKeyOf} broadcasts its baselines to them.
     */
    private static SingleOutputStreamOperator<AlertRecord> baselines(
            DataStream<Event> all, Subject subject, PipelineConfig config) {
        String name = subject.operatorName();
        DataStream<Event> events =
                all.filter(event -> subject.keyOf(event) != null)
                        .uid(name + "-events")
                        .name(name + " events");
        DataStream<PeerSnapshot> peers =
                config.peerSeeding()
                        ? events.filter(event -> subject.peerKeyOf(event) != null)
                                .uid(name + "-peer-events")
                                .name(name + " peer events")
                                .keyBy(subject::peerKeyOf, Types.STRING)
                                .process(new PeerBaselineFunction(subject, config))
                                .uid(name + "-peer-baselines")
                                .name(name + " peer baselines")
                        : events.flatMap(
                                        (Event event, Collector<PeerSnapshot> none) -> {},
                                        TypeInformation.of(PeerSnapshot.class))
                                .uid(name + "-no-peers")
                                .name(name + " peer seeding off");
        return events.keyBy(subject::keyOf, Types.STRING)
                .connect(peers.broadcast(BaselineFunction.PEERS))
                .process(new BaselineFunction(subject, config))
                .uid(name + "-baselines")
                .name(name + " baselines");
    }

    /** Event-time watermarks of the pipeline's configuration, for sources built elsewhere. */
    public static WatermarkStrategy<Decoded> watermarks(PipelineConfig config) {
        return EventTimeWatermarks.strategy(config.maxOutOfOrderness(), config.idleness());
    }
}
