package dev.tamperwatch.job.io;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks over decoded records in which only valid events count: a dead
 * letter carries no trustworthy event time and must not move the watermark.
 */
public final class EventTimeWatermarks implements WatermarkGenerator<Decoded> {

    private final long outOfOrdernessMillis;
    private long maxTimestamp = Long.MIN_VALUE;

    public EventTimeWatermarks(Duration outOfOrderness) {
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
    }

    /**
     * The strategy: timestamps from {@code event_time} (dead letters keep the source's timestamp),
     * watermarks {@code outOfOrderness} behind the latest event, idle splits ignored after {@code
     * idleness}.
     */
    public static WatermarkStrategy<Decoded> strategy(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<Decoded>forGenerator(
                        ctx -> new EventTimeWatermarks(outOfOrderness))
                .withTimestampAssigner(
                        (decoded, sourceTimestamp) ->
                                decoded.isValid()
                                        ? decoded.event.getEventTime().toEpochMilli()
                                        : sourceTimestamp)
                .withIdleness(idleness);
    }

    @Override
    public void onEvent(Decoded decoded, long timestamp, WatermarkOutput output) {
        if (decoded.isValid()) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxTimestamp != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(maxTimestamp - outOfOrdernessMillis - 1));
        }
    }
}
