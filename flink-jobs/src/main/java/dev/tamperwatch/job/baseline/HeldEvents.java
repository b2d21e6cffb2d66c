package dev.tamperwatch.job.baseline;

import dev.tamperwatch.schema.avro.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * The events of the key in context held until the watermark passes them, so that a key whose events
 * come from several partitions sees them in event-time order whatever order the partitions are read
 * in. Events are held by the minute they fall in, with one event-time timer per key and minute at
 * the minute's last millisecond; that timer releases them.
 *
 * <p>Keyed map state without a time-to-live: timers empty it within minutes, and the incremental
 * clean-up of a map state with one deep-copies every value it visits, the held events with each
 * access.
 */
final class HeldEvents {

    /** Held events are released a minute at a time. */
    static final long BUCKET_MILLIS = 60_000L;

    private final MapState<Long, List<Event>> byMinute;

    HeldEvents(RuntimeContext context) {
        byMinute =
                context.getMapState(
                        new MapStateDescriptor<>(
                                "pending-events",
                                Types.LONG,
                                Types.LIST(TypeInformation.of(Event.class))));
    }

    /** Holds {@code event}, which happened at {@code time}, until its minute's timer. */
    void hold(Event event, long time, TimerService timers) throws Exception {
        long minute = time - Math.floorMod(time, BUCKET_MILLIS) + BUCKET_MILLIS - 1;
        List<Event> held = byMinute.get(minute);
        if (held == null) {
            held = new ArrayList<>();
        }
        held.add(event);
        byMinute.put(minute, held);
        timers.registerEventTimeTimer(minute);
    }

    /**
     * Removes and returns, in event-time order, the events held for the minute whose timer fires at
     * {@code timestamp}; empty when the timer is not such a minute's or it held nothing.
     */
    List<Event> release(long timestamp) throws Exception {
        List<Event> held = byMinute.get(timestamp);
        if (held == null) {
            return List.of();
        }
        byMinute.remove(timestamp);
        return sorted(held);
    }

    /** Removes and returns, in event-time order, every event held for the key. */
    List<Event> releaseAll() throws Exception {
        if (byMinute.isEmpty()) {
            return List.of();
        }
        List<Event> held = new ArrayList<>();
        for (List<Event> minute : byMinute.values()) {
            held.addAll(minute);
        }
        byMinute.clear();
        return sorted(held);
    }

    private static List<Event> sorted(List<Event> events) {
        events.sort(Comparator.comparing(Event::getEventTime));
        return events;
    }
}
