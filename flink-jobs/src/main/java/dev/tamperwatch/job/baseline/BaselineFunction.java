package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.alert.Alert;
import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.job.alert.AlertRenderer;
import dev.tamperwatch.schema.avro.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps the baselines of one kind of subject (identities or agents): for each event, every detector
 * bound to the subject loads its state, folds in the observation, stores the state and emits its
 * findings as rendered alerts. Window closes run on event-time timers at each detector's deadline.
 *
 * <p>State per key: one versioned byte array per detector (the detector's own codec) and the latest
 * actor, all with a time-to-live so that keys which stop appearing are dropped.
 */
public final class BaselineFunction extends KeyedProcessFunction<String, Event, AlertRecord> {

    /** Side output of every score, when {@link PipelineConfig#emitScores()} is on. */
    public static final OutputTag<ScoreRecord> SCORES =
            new OutputTag<>("scores", TypeInformation.of(ScoreRecord.class));

    private final Subject subject;
    private final PipelineConfig config;

    private transient List<Binding<?, ?>> bindings;
    private transient List<ValueState<byte[]>> states;
    private transient ValueState<Actor> actor;
    private transient AlertRenderer renderer;

    public BaselineFunction(Subject subject, PipelineConfig config) {
        this.subject = subject;
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        bindings = DetectorSuite.bindings(subject, config);
        renderer = config.alertFormat().renderer();
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(config.stateTtl())
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        states = new ArrayList<>();
        for (Binding<?, ?> binding : bindings) {
            ValueStateDescriptor<byte[]> descriptor =
                    new ValueStateDescriptor<>(
                            binding.detector().name(),
                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            descriptor.enableTimeToLive(ttl);
            states.add(getRuntimeContext().getState(descriptor));
        }
        ValueStateDescriptor<Actor> actorDescriptor =
                new ValueStateDescriptor<>("actor", TypeInformation.of(Actor.class));
        actorDescriptor.enableTimeToLive(ttl);
        actor = getRuntimeContext().getState(actorDescriptor);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<AlertRecord> out)
            throws IOException {
        Actor who = Actor.of(event);
        actor.update(who);
        long time = event.getEventTime().toEpochMilli();
        for (int i = 0; i < bindings.size(); i++) {
            observe(bindings.get(i), states.get(i), event, time, who, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRecord> out)
            throws IOException {
        long watermark = Math.max(timestamp, ctx.timerService().currentWatermark());
        for (int i = 0; i < bindings.size(); i++) {
            advance(bindings.get(i), states.get(i), watermark, ctx, out);
        }
    }

    private <I, S> void observe(
            Binding<I, S> binding,
            ValueState<byte[]> stored,
            Event event,
            long time,
            Actor who,
            Context ctx,
            Collector<AlertRecord> out)
            throws IOException {
        I input = binding.observe().apply(event);
        if (input == null) {
            return;
        }
        Detector<I, S> detector = binding.detector();
        S state = load(detector, stored);
        List<Finding> findings = detector.onEvent(state, input, time, scores(ctx));
        store(detector, stored, state, ctx);
        emit(findings, who, time, ctx.getCurrentKey(), out);
    }

    private <I, S> void advance(
            Binding<I, S> binding,
            ValueState<byte[]> stored,
            long watermark,
            Context ctx,
            Collector<AlertRecord> out)
            throws IOException {
        Detector<I, S> detector = binding.detector();
        byte[] bytes = stored.value();
        if (bytes == null) {
            return;
        }
        S state = detector.codec().decode(bytes);
        long deadline = detector.nextDeadline(state);
        if (deadline > watermark) {
            return;
        }
        List<Finding> findings = detector.onTime(state, watermark, scores(ctx));
        store(detector, stored, state, ctx);
        emit(findings, actor.value(), deadline, ctx.getCurrentKey(), out);
    }

    private ScoreSink scores(Context ctx) {
        if (!config.emitScores()) {
            return ScoreSink.NONE;
        }
        String key = ctx.getCurrentKey();
        return score -> ctx.output(SCORES, ScoreRecord.of(score, subject.keyType(), key));
    }

    private static <I, S> S load(Detector<I, S> detector, ValueState<byte[]> stored)
            throws IOException {
        byte[] bytes = stored.value();
        return bytes == null ? detector.newState() : detector.codec().decode(bytes);
    }

    private static <I, S> void store(
            Detector<I, S> detector, ValueState<byte[]> stored, S state, Context ctx)
            throws IOException {
        if (detector.isEmpty(state)) {
            stored.clear();
            return;
        }
        stored.update(detector.codec().encode(state));
        long deadline = detector.nextDeadline(state);
        if (deadline != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(deadline);
        }
    }

    private void emit(
            List<Finding> findings, Actor who, long time, String key, Collector<AlertRecord> out) {
        for (Finding finding : findings) {
            Alert alert = new Alert(finding, subject.keyType(), key, who, time);
            out.collect(AlertRecord.of(alert, renderer));
        }
    }
}
