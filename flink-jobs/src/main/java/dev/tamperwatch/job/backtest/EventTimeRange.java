package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.io.Decoded;
import org.apache.flink.api.common.functions.FilterFunction;

/** Keeps events with event time in [from, to) and every dead letter. */
final class EventTimeRange implements FilterFunction<Decoded> {

    private static final long serialVersionUID = 1L;

    private final long from;
    private final long to;

    EventTimeRange(long from, long to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public boolean filter(Decoded decoded) {
        if (!decoded.isValid()) {
            return true;
        }
        long t = decoded.event.getEventTime().toEpochMilli();
        return t >= from && t < to;
    }
}
