package dev.tamperwatch.detect.window;

import java.time.Duration;

/**
 * Tumbling event-time windows of one fixed size, aligned to multiples of that size since the epoch.
 *
 * <p>Event times are clamped to ±2<sup>62</sup> ms so that no timestamp makes the arithmetic
 * overflow.
 *
 * @param sizeMillis window length in milliseconds, in (0, 2<sup>61</sup>]
 */
public record TumblingWindows(long sizeMillis) {

    private static final long TIME_LIMIT = 1L << 62;

    public TumblingWindows {
        if (sizeMillis <= 0 || sizeMillis > 1L << 61) {
            throw new IllegalArgumentException("window size out of range: " + sizeMillis + " ms");
        }
    }

    public static TumblingWindows of(Duration size) {
        return new TumblingWindows(size.toMillis());
    }

    /** Start (inclusive) of the window holding {@code eventTime}. */
    public long startOf(long eventTime) {
        long clamped = Math.max(-TIME_LIMIT, Math.min(TIME_LIMIT, eventTime));
        return clamped - Math.floorMod(clamped, sizeMillis);
    }

    /** End (exclusive) of the window starting at {@code start}. */
    public long endOf(long start) {
        return start + sizeMillis;
    }

    /**
     * Start of the window an event counts into when no window may start before {@code
     * earliestStart}: events that belong to an earlier window count into the one at {@code
     * earliestStart}.
     */
    public long place(long eventTime, long earliestStart) {
        return Math.max(startOf(eventTime), earliestStart);
    }

    /** Short human form of the size, e.g. {@code 1h}, {@code 15min}, {@code 1d}. */
    public String label() {
        long[] unitMillis = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] unitNames = {"d", "h", "min", "s"};
        for (int i = 0; i < unitMillis.length; i++) {
            if (sizeMillis % unitMillis[i] == 0) {
                return sizeMillis / unitMillis[i] + unitNames[i];
            }
        }
        return sizeMillis + "ms";
    }
}
