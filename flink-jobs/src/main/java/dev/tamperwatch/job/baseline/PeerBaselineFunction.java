package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.detect.window.TumblingWindows;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.schema.avro.Event;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps one baseline per peer group (keyed by {@link Subject#peerKeyOf}) over the events of all its
 * members, with the same detectors as the members, and publishes the group's states, with how many
 * members a window of it covers ({@link ActiveMembers}), at the end of every window it closes.
 * Raises no alerts.
 *
 * <p>A group's members write to many partitions, read in whatever order the fetches come, so the
 * group's events are held until the watermark passes them and folded in event-time order: a group's
 * baselines, and the keys seeded from them, are the same in every run.
 */
public final class PeerBaselineFunction extends KeyedProcessFunction<String, Event, PeerSnapshot> {

    private final Subject subject;
    private final PipelineConfig config;
    private transient DetectorStates states;
    private transient TumblingWindows windows;

    /**
     * Per member: start of the latest window it acted in. Without a time-to-live, whose clean-up
     * would copy the whole map at every visit; members silent for the state's time-to-live in event
     * time are dropped as windows close.
     */
    private transient MapState<String, Long> lastActive;

    /** Per window not yet closed: members that acted in it; emptied as the windows close. */
    private transient MapState<Long, Integer> activeInWindow;

    private transient ValueState<ActiveMembers> members;
    private transient HeldEvents held;

    public PeerBaselineFunction(Subject subject, PipelineConfig config) {
        this.subject = subject;
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = BaselineFunction.ttl(config);
        states =
                new DetectorStates(
                        DetectorSuite.bindings(subject, config), getRuntimeContext(), ttl);
        windows = TumblingWindows.of(config.window());
        MapStateDescriptor<String, Long> lastActiveDescriptor =
                new MapStateDescriptor<>("member-last-active", Types.STRING, Types.LONG);
        lastActive = getRuntimeContext().getMapState(lastActiveDescriptor);
        activeInWindow =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "members-per-window", Types.LONG, Types.INT));
        ValueStateDescriptor<ActiveMembers> membersDescriptor =
                new ValueStateDescriptor<>(
                        "active-members", TypeInformation.of(ActiveMembers.class));
        membersDescriptor.enableTimeToLive(ttl);
        members = getRuntimeContext().getState(membersDescriptor);
        held = new HeldEvents(getRuntimeContext());
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<PeerSnapshot> out)
            throws Exception {
        long time = event.getEventTime().toEpochMilli();
        // The members' baselines score no late event (they dead-letter it); the group learns none.
        if (!LateEvents.isLate(time, ctx.timerService().currentWatermark(), config.window())) {
            held.hold(event, time, ctx.timerService());
        }
    }

    private void observe(Event event, TimerService timers) throws Exception {
        long time = event.getEventTime().toEpochMilli();
        countMember(subject.keyOf(event), windows.startOf(time), timers);
        states.observe(event, time, ScoreSink.NONE, timers, (finding, at) -> {});
    }

    /** Counts the member once in the window it acted in; a straggler of an older window not. */
    private void countMember(String member, long window, TimerService timers) throws Exception {
        Long last = lastActive.get(member);
        if (last != null && last >= window) {
            return;
        }
        lastActive.put(member, window);
        Integer active = activeInWindow.get(window);
        activeInWindow.put(window, active == null ? 1 : active + 1);
        timers.registerEventTimeTimer(windows.endOf(window));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PeerSnapshot> out)
            throws Exception {
        // Held events of later minutes wait for their own timers, which fire in time order: the
        // windows close no further than this timer's time.
        for (Event event : held.release(timestamp)) {
            observe(event, ctx.timerService());
        }
        states.advance(timestamp, ScoreSink.NONE, ctx.timerService(), (finding, time) -> {});
        if (Math.floorMod(timestamp, windows.sizeMillis()) != 0) {
            return;
        }
        ActiveMembers tally = closeWindows(timestamp);
        String group = ctx.getCurrentKey();
        double perWindow = tally.perWindow();
        states.forEachState(
                (detector, bytes) ->
                        out.collect(
                                new PeerSnapshot(group, detector, timestamp, perWindow, bytes)));
    }

    /** Folds every window that ended by {@code time} into the group's mean of active members. */
    private ActiveMembers closeWindows(long time) throws Exception {
        ActiveMembers tally = members.value();
        if (tally == null) {
            tally = new ActiveMembers();
        }
        List<Long> closed = new ArrayList<>();
        for (Map.Entry<Long, Integer> window : activeInWindow.entries()) {
            if (windows.endOf(window.getKey()) <= time) {
                closed.add(window.getKey());
            }
        }
        closed.sort(null);
        for (Long window : closed) {
            tally.close(activeInWindow.get(window));
            activeInWindow.remove(window);
        }
        members.update(tally);
        long silentSince = time - config.stateTtl().toMillis();
        Iterator<Map.Entry<String, Long>> seen = lastActive.iterator();
        while (seen.hasNext()) {
            if (seen.next().getValue() < silentSince) {
                seen.remove();
            }
        }
        return tally;
    }
}
