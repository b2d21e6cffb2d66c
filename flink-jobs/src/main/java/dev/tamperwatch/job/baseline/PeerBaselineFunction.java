package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.schema.avro.Event;
import java.io.IOException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps one baseline per peer group (keyed by {@link Subject#peerKeyOf}) over the events of all its
 * members, with the same detectors as the members, and publishes the group's states after every
 * window it closes. Raises no alerts.
 */
public final class PeerBaselineFunction extends KeyedProcessFunction<String, Event, PeerSnapshot> {

    private final Subject subject;
    private final PipelineConfig config;
    private transient DetectorStates states;

    public PeerBaselineFunction(Subject subject, PipelineConfig config) {
        this.subject = subject;
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        states =
                new DetectorStates(
                        DetectorSuite.bindings(subject, config),
                        getRuntimeContext(),
                        BaselineFunction.ttl(config));
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<PeerSnapshot> out)
            throws IOException {
        states.observe(
                event,
                event.getEventTime().toEpochMilli(),
                ScoreSink.NONE,
                ctx.timerService(),
                detector -> null,
                (finding, time) -> {});
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PeerSnapshot> out)
            throws IOException {
        long watermark = Math.max(timestamp, ctx.timerService().currentWatermark());
        states.advance(watermark, ScoreSink.NONE, ctx.timerService(), (finding, time) -> {});
        String group = ctx.getCurrentKey();
        states.forEachState(
                (detector, bytes) -> out.collect(new PeerSnapshot(group, detector, bytes)));
    }
}
