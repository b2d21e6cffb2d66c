package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.schema.avro.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;

/**
 * The bound detectors of one subject with their keyed states, for the key in context: loads a
 * detector's state, lets it observe or advance, stores the state and asks for a timer at its next
 * deadline. Each state is the detector's state object with a time-to-live, serialized by the
 * detector's own versioned codec ({@link StateSerializer}), so a heap backend decodes nothing per
 * event.
 */
final class DetectorStates {

    private final List<Binding<?, ?>> bindings;
    private final List<ValueState<?>> states = new ArrayList<>();
    private final Counter rejected;

    DetectorStates(List<Binding<?, ?>> bindings, RuntimeContext context, StateTtlConfig ttl) {
        this.bindings = bindings;
        this.rejected = context.getMetricGroup().counter("rejectedObservations");
        for (Binding<?, ?> binding : bindings) {
            states.add(state(binding.detector(), context, ttl));
        }
    }

    private static <S> ValueState<S> state(
            Detector<?, S> detector, RuntimeContext context, StateTtlConfig ttl) {
        ValueStateDescriptor<S> descriptor =
                new ValueStateDescriptor<>(
                        detector.name(), new StateSerializer<>(detector.name(), detector.codec()));
        descriptor.enableTimeToLive(ttl);
        return context.getState(descriptor);
    }

    /**
     * Lets every detector concerned observe the event.
     *
     * @param findings receives each finding with its time: the event's for a finding about the
     *     event itself, the window's end for a window the event closed
     */
    void observe(
            Event event,
            long time,
            ScoreSink scores,
            TimerService timers,
            BiConsumer<Finding, Long> findings)
            throws IOException {
        for (int i = 0; i < bindings.size(); i++) {
            try {
                observe(bindings.get(i), states.get(i), event, time, scores, timers, findings);
            } catch (IllegalArgumentException e) {
                // An observation the key's baseline cannot take (e.g. an embedding of another
                // model than the one the baseline was built on) is skipped and counted; the
                // detector leaves its state unchanged.
                rejected.inc();
            }
        }
    }

    /**
     * Seeds every detector that has no state yet for the key in context from its peer group's
     * baseline, where {@code peers} has one for the detector's name.
     */
    void seed(Function<String, PeerHistory.Baseline> peers, TimerService timers)
            throws IOException {
        for (int i = 0; i < bindings.size(); i++) {
            seed(bindings.get(i), states.get(i), peers, timers);
        }
    }

    @SuppressWarnings("unchecked")
    private static <I, S> void seed(
            Binding<I, S> binding,
            ValueState<?> untyped,
            Function<String, PeerHistory.Baseline> peers,
            TimerService timers)
            throws IOException {
        Detector<I, S> detector = binding.detector();
        ValueState<S> stored = (ValueState<S>) untyped;
        PeerHistory.Baseline peer = peers.apply(detector.name());
        if (peer == null || stored.value() != null) {
            return;
        }
        S state = detector.newState();
        detector.seedFromPeers(state, detector.codec().decode(peer.state()), peer.members());
        // Kept even while it holds nothing of the key's own: the seed must wait for its first
        // observation.
        keep(detector, stored, state, timers);
    }

    /**
     * Lets every detector whose deadline the watermark has passed close its windows.
     *
     * @param findings receives each finding with its time, the end of the window it closed or the
     *     deadline that produced it, whichever is earlier
     */
    void advance(
            long watermark,
            ScoreSink scores,
            TimerService timers,
            BiConsumer<Finding, Long> findings)
            throws IOException {
        for (int i = 0; i < bindings.size(); i++) {
            advance(bindings.get(i), states.get(i), watermark, scores, timers, findings);
        }
    }

    /** Calls {@code consumer} with each detector's name and encoded state, where there is one. */
    void forEachState(BiConsumer<String, byte[]> consumer) throws IOException {
        for (int i = 0; i < bindings.size(); i++) {
            byte[] bytes = encoded(bindings.get(i), states.get(i));
            if (bytes != null) {
                consumer.accept(bindings.get(i).detector().name(), bytes);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> byte[] encoded(Binding<?, S> binding, ValueState<?> stored)
            throws IOException {
        S state = ((ValueState<S>) stored).value();
        return state == null ? null : binding.detector().codec().encode(state);
    }

    @SuppressWarnings("unchecked")
    private static <I, S> void observe(
            Binding<I, S> binding,
            ValueState<?> untyped,
            Event event,
            long time,
            ScoreSink scores,
            TimerService timers,
            BiConsumer<Finding, Long> findings)
            throws IOException {
        I input = binding.observe().apply(event);
        if (input == null) {
            return;
        }
        Detector<I, S> detector = binding.detector();
        ValueState<S> stored = (ValueState<S>) untyped;
        S state = stored.value();
        if (state == null) {
            state = detector.newState();
        }
        for (Finding finding : detector.onEvent(state, input, time, scores)) {
            findings.accept(finding, Math.min(time, finding.windowEnd()));
        }
        store(detector, stored, state, timers);
    }

    @SuppressWarnings("unchecked")
    private static <I, S> void advance(
            Binding<I, S> binding,
            ValueState<?> untyped,
            long watermark,
            ScoreSink scores,
            TimerService timers,
            BiConsumer<Finding, Long> findings)
            throws IOException {
        Detector<I, S> detector = binding.detector();
        ValueState<S> stored = (ValueState<S>) untyped;
        S state = stored.value();
        if (state == null) {
            return;
        }
        long deadline = detector.nextDeadline(state);
        if (deadline > watermark) {
            return;
        }
        for (Finding finding : detector.onTime(state, watermark, scores)) {
            findings.accept(finding, Math.min(deadline, finding.windowEnd()));
        }
        store(detector, stored, state, timers);
    }

    private static <I, S> void store(
            Detector<I, S> detector, ValueState<S> stored, S state, TimerService timers)
            throws IOException {
        if (detector.isEmpty(state)) {
            stored.clear();
        } else {
            keep(detector, stored, state, timers);
        }
    }

    private static <I, S> void keep(
            Detector<I, S> detector, ValueState<S> stored, S state, TimerService timers)
            throws IOException {
        stored.update(state);
        long deadline = detector.nextDeadline(state);
        if (deadline != Long.MAX_VALUE) {
            timers.registerEventTimeTimer(deadline);
        }
    }
}
