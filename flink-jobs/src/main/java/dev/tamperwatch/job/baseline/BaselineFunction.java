package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.alert.Alert;
import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.job.alert.AlertRenderer;
import dev.tamperwatch.job.io.DeadLetterRecord;
import dev.tamperwatch.schema.avro.Event;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps the baselines of one kind of subject ({@link Subject}): for each event, every detector
 * bound to the subject folds in its observation and its findings leave as rendered alerts; window
 * closes run on event-time timers at each detector's deadline.
 *
 * <p>With {@link PipelineConfig#peerSeeding() peer seeding} on, a key without history starts from
 * its peer group's baselines as they were at its first event: the key's first events are held until
 * the watermark passes the first, by when every peer snapshot taken up to then has arrived, and the
 * latest of them seeds each detector. Replays therefore seed alike however the broadcast
 * interleaves with the events.
 *
 * <p>An event more than one window behind the watermark is not scored; it leaves on {@link #LATE}
 * ({@link LateEvents}). A subject that {@link Subject#ordersEvents() orders its events} holds each
 * key's events until the watermark passes them and scores them in event-time order: its findings
 * come one watermark lag later, in exchange for windows that hold exactly their own events.
 *
 * <p>An alert names who acted in the event it is about or, for a window, who acted last in the
 * window ({@link RecentActors}).
 *
 * <p>State per key: each detector's state and the recent actors, all with a time-to-live so that
 * keys which stop appearing are dropped.
 */
public final class BaselineFunction
        extends KeyedBroadcastProcessFunction<String, Event, PeerSnapshot, AlertRecord> {

    /** Side output of every score, when {@link PipelineConfig#emitScores()} is on. */
    public static final OutputTag<ScoreRecord> SCORES =
            new OutputTag<>("scores", TypeInformation.of(ScoreRecord.class));

    /** Side output of events too late to score, as dead letters ({@link LateEvents}). */
    public static final OutputTag<DeadLetterRecord> LATE =
            new OutputTag<>("late-events", TypeInformation.of(DeadLetterRecord.class));

    /** Broadcast state: the {@link PeerHistory} of each peer group and detector. */
    public static final MapStateDescriptor<String, byte[]> PEERS =
            new MapStateDescriptor<>(
                    "peer-histories",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private final Subject subject;
    private final PipelineConfig config;

    private transient DetectorStates states;
    private transient ValueState<RecentActors> actors;
    private transient AlertRenderer renderer;
    private transient long latestEventTime;
    private transient long windowMillis;
    private transient Counter lateEvents;

    /** Every event of a subject that orders its events; the first events of a key to seed. */
    private transient HeldEvents held;

    public BaselineFunction(Subject subject, PipelineConfig config) {
        this.subject = subject;
        this.config = config;
    }

    /**
     * Time-to-live of every baseline state. Each access to a state also checks one other entry of
     * it for expiry, so keys that stopped appearing are dropped within about as many accesses as
     * there are keys, at a fifth of the cost of Flink's default of five.
     */
    static StateTtlConfig ttl(PipelineConfig config) {
        return StateTtlConfig.newBuilder(config.stateTtl())
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupIncrementally(1, false)
                .build();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = ttl(config);
        states =
                new DetectorStates(
                        DetectorSuite.bindings(subject, config), getRuntimeContext(), ttl);
        renderer = config.alertFormat().renderer();
        latestEventTime = Long.MIN_VALUE;
        windowMillis = config.window().toMillis();
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
        ValueStateDescriptor<RecentActors> actorsDescriptor =
                new ValueStateDescriptor<>("recent-actors", TypeInformation.of(RecentActors.class));
        actorsDescriptor.enableTimeToLive(ttl);
        actors = getRuntimeContext().getState(actorsDescriptor);
        held = new HeldEvents(getRuntimeContext());
    }

    @Override
    public void processElement(Event event, ReadOnlyContext ctx, Collector<AlertRecord> out)
            throws Exception {
        long time = event.getEventTime().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        if (LateEvents.isLate(time, watermark, config.window())) {
            lateEvents.inc();
            ctx.output(LATE, LateEvents.deadLetter(event, subject, watermark));
            return;
        }
        latestEventTime = Math.max(latestEventTime, time);
        if (subject.ordersEvents() || awaitsSeed(event)) {
            held.hold(event, time, ctx.timerService());
            return;
        }
        score(event, ctx, out);
    }

    /** Whether the event is of a key to seed from its peers that has not been seeded yet. */
    private boolean awaitsSeed(Event event) throws Exception {
        return config.peerSeeding() && subject.peerKeyOf(event) != null && actors.value() == null;
    }

    /**
     * Lets the detectors observe one event of the key in context and emits their findings; the
     * first event of a key seeds it from its peers, as they were at the event's time.
     */
    private void score(Event event, ReadOnlyContext ctx, Collector<AlertRecord> out)
            throws Exception {
        long time = event.getEventTime().toEpochMilli();
        RecentActors recent = actors.value();
        boolean first = recent == null;
        if (first) {
            recent = new RecentActors();
        }
        Actor who = Actor.of(event);
        recent.see(who, windowMillis);
        actors.update(recent);
        String peerKey = subject.peerKeyOf(event);
        if (first && peerKey != null && config.peerSeeding()) {
            ReadOnlyBroadcastState<String, byte[]> peers = ctx.getBroadcastState(PEERS);
            states.seed(
                    detector ->
                            PeerHistory.latestAtOrBefore(
                                    get(peers, PeerSnapshot.slot(peerKey, detector)), time),
                    ctx.timerService());
        }
        // A window this event closes names whoever acted last in it, exactly as when the
        // window's timer closes it; the two paths must give the same alert.
        RecentActors named = recent;
        states.observe(
                event,
                time,
                scores(ctx),
                ctx.timerService(),
                (finding, at) ->
                        emit(
                                finding,
                                at < time ? named.before(at) : who,
                                at,
                                ctx.getCurrentKey(),
                                out));
    }

    private void score(List<Event> events, ReadOnlyContext ctx, Collector<AlertRecord> out)
            throws Exception {
        for (Event event : events) {
            score(event, ctx, out);
        }
    }

    @Override
    public void processBroadcastElement(
            PeerSnapshot snapshot, Context ctx, Collector<AlertRecord> out) throws Exception {
        // Held events are less than a hold bucket behind the watermark and events still to come
        // at most a window (older ones are late): no key's first event is earlier than this.
        long watermark = ctx.currentWatermark();
        long earliestAsked =
                watermark == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : watermark - Math.max(windowMillis, HeldEvents.BUCKET_MILLIS);
        BroadcastState<String, byte[]> peers = ctx.getBroadcastState(PEERS);
        peers.put(
                snapshot.slot(),
                PeerHistory.with(peers.get(snapshot.slot()), snapshot.baseline(), earliestAsked));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRecord> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        boolean endOfInput = watermark == Long.MAX_VALUE;
        // Held events of later minutes wait for their own timers, which fire in time order: the
        // windows close no further than this timer's time.
        watermark =
                endOfInput || subject.ordersEvents() ? timestamp : Math.max(timestamp, watermark);
        // A subject that orders its events scores a minute at a time, the timers of earlier
        // minutes having fired before; a key held for its seed scores all it holds at once.
        if (subject.ordersEvents()) {
            score(held.release(timestamp), ctx, out);
        } else if (config.peerSeeding()) {
            score(held.releaseAll(), ctx, out);
        }
        // End of a bounded input: score the windows the data covers, but neither a window the
        // data ends inside nor silence after it; the end of the data is not the keys' doing.
        if (endOfInput && timestamp > latestEventTime) {
            return;
        }
        RecentActors recent = actors.value();
        states.advance(
                watermark,
                scores(ctx),
                ctx.timerService(),
                (finding, time) ->
                        emit(
                                finding,
                                recent == null ? null : recent.before(time),
                                time,
                                ctx.getCurrentKey(),
                                out));
    }

    private ScoreSink scores(ReadOnlyContext ctx) {
        if (!config.emitScores()) {
            return ScoreSink.NONE;
        }
        String key = ctx.getCurrentKey();
        return score -> ctx.output(SCORES, ScoreRecord.of(score, subject.keyType(), key));
    }

    private void emit(
            Finding finding, Actor who, long time, String key, Collector<AlertRecord> out) {
        out.collect(
                AlertRecord.of(new Alert(finding, subject.keyType(), key, who, time), renderer));
    }

    private static byte[] get(ReadOnlyBroadcastState<String, byte[]> peers, String slot) {
        try {
            return peers.get(slot);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read peer baseline " + slot, e);
        }
    }
}
