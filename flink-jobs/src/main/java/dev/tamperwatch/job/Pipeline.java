package dev.tamperwatch.job;

import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.job.baseline.BaselineFunction;
import dev.tamperwatch.job.baseline.Subject;
import dev.tamperwatch.job.io.DeadLetterRecord;
import dev.tamperwatch.job.io.DecodeFunction;
import dev.tamperwatch.job.io.RawRecord;
import dev.tamperwatch.schema.avro.Event;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The detect pipeline, the one definition that production, tests, backtests and benchmarks run with
 * different sources and sinks: decode and validate (bad records to dead letters), event-time
 * watermarks, identity baselines keyed by principal, agent baselines keyed by agent, alerts.
 */
public final class Pipeline {

    private Pipeline() {}

    /** The two result streams of the pipeline. */
    public record Outputs(DataStream<AlertRecord> alerts, DataStream<DeadLetterRecord> deadLetters) {

        /** Attaches sinks to both streams, each with a stable uid. */
        public void sinkTo(Sink<AlertRecord> alertSink, Sink<DeadLetterRecord> deadLetterSink) {
            alerts.sinkTo(alertSink).uid("alerts-sink").name("alerts sink");
            deadLetters.sinkTo(deadLetterSink).uid("dead-letter-sink").name("dead-letter sink");
        }
    }

    /** Adds the pipeline reading {@code source} to {@code env} and returns its outputs. */
    public static Outputs define(
            StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source, PipelineConfig config) {
        SingleOutputStreamOperator<Event> decoded =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "events source")
                        .uid("events-source")
                        .process(new DecodeFunction())
                        .uid("decode")
                        .name("decode and validate");

        DataStream<Event> events =
                decoded.assignTimestampsAndWatermarks(watermarks(config))
                        .uid("event-time")
                        .name("event-time watermarks");

        DataStream<AlertRecord> identityAlerts =
                events.keyBy(Subject.PRINCIPAL::keyOf, Types.STRING)
                        .process(new BaselineFunction(Subject.PRINCIPAL, config))
                        .uid("identity-baselines")
                        .name("identity baselines");

        DataStream<AlertRecord> agentAlerts =
                events.filter(event -> Subject.AGENT.keyOf(event) != null)
                        .uid("agent-events")
                        .name("agent events")
                        .keyBy(Subject.AGENT::keyOf, Types.STRING)
                        .process(new BaselineFunction(Subject.AGENT, config))
                        .uid("agent-baselines")
                        .name("agent baselines");

        return new Outputs(
                identityAlerts.union(agentAlerts), decoded.getSideOutput(DecodeFunction.DEAD_LETTERS));
    }

    private static WatermarkStrategy<Event> watermarks(PipelineConfig config) {
        return WatermarkStrategy.<Event>forBoundedOutOfOrderness(config.maxOutOfOrderness())
                .withTimestampAssigner((event, previous) -> event.getEventTime().toEpochMilli())
                .withIdleness(config.idleness());
    }
}
