package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.baseline.Subject;
import dev.tamperwatch.job.io.Decoded;
import dev.tamperwatch.schema.avro.Event;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Passes every record through unchanged (timestamps and watermarks included) and counts them:
 * records, events, dead letters, event-time range, keys and key-days per subject key type. Emits
 * running figures to {@link #STATS} about twice a second of wall time, for progress only, and the
 * final figures when the input ends. Must run with parallelism 1 to see every record.
 */
public final class InputStatsOperator extends AbstractStreamOperator<Decoded>
        implements OneInputStreamOperator<Decoded, Decoded>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    /** Side output of running and final figures. */
    public static final OutputTag<InputStats> STATS =
            new OutputTag<>("input-stats", TypeInformation.of(InputStats.class));

    private static final long PROGRESS_NANOS = 500_000_000L;
    private static final long DAY_MILLIS = 86_400_000L;

    private transient Map<String, Set<String>> keys;
    private transient Map<String, Set<String>> keyDays;
    private transient TreeMap<Long, long[]> perDay;
    private transient InputStats stats;
    private transient long lastProgress;

    @Override
    public void open() throws Exception {
        super.open();
        keys = new LinkedHashMap<>();
        keyDays = new LinkedHashMap<>();
        for (Subject subject : Subject.values()) {
            keys.putIfAbsent(subject.keyType(), new HashSet<>());
            keyDays.putIfAbsent(subject.keyType(), new HashSet<>());
        }
        perDay = new TreeMap<>();
        stats = new InputStats();
        lastProgress = System.nanoTime();
    }

    @Override
    public void processElement(StreamRecord<Decoded> element) {
        output.collect(element);
        Decoded decoded = element.getValue();
        stats.records++;
        if (decoded.isValid()) {
            count(decoded.event);
        } else {
            stats.deadLetters++;
        }
        if ((stats.records & 1023) == 0 && System.nanoTime() - lastProgress > PROGRESS_NANOS) {
            lastProgress = System.nanoTime();
            output.collect(STATS, new StreamRecord<>(snapshot(false)));
        }
    }

    private void count(Event event) {
        stats.events++;
        long time = event.getEventTime().toEpochMilli();
        stats.minEventTime = Math.min(stats.minEventTime, time);
        stats.maxEventTime = Math.max(stats.maxEventTime, time);
        long day = Math.floorDiv(time, DAY_MILLIS);
        perDay.computeIfAbsent(day, d -> new long[1])[0]++;
        for (Subject subject : Subject.values()) {
            String key = subject.keyOf(event);
            if (key != null) {
                keys.get(subject.keyType()).add(key);
                keyDays.get(subject.keyType()).add(day + "/" + key);
            }
        }
    }

    @Override
    public void endInput() {
        output.collect(STATS, new StreamRecord<>(snapshot(true)));
    }

    private InputStats snapshot(boolean complete) {
        InputStats s = new InputStats();
        s.complete = complete;
        s.records = stats.records;
        s.events = stats.events;
        s.deadLetters = stats.deadLetters;
        s.minEventTime = stats.minEventTime;
        s.maxEventTime = stats.maxEventTime;
        if (complete) {
            String[] types = keys.keySet().toArray(String[]::new);
            s.keyTypes = types;
            s.keys = new long[types.length];
            s.keyDays = new long[types.length];
            for (int i = 0; i < types.length; i++) {
                String type = types[i];
                s.keyTypes[i] = type;
                s.keys[i] = keys.get(type).size();
                s.keyDays[i] = keyDays.get(type).size();
            }
            s.days = perDay.keySet().stream().mapToLong(Long::longValue).toArray();
            s.eventsPerDay = perDay.values().stream().mapToLong(c -> c[0]).toArray();
        }
        return s;
    }
}
