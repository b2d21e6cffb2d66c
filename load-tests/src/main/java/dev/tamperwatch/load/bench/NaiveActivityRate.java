package dev.tamperwatch.load.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * A plain seasonal activity test, the reference the activity-rate detector is benchmarked against:
 * the start and count of every closed window are kept in a list (up to four weeks of windows), and
 * a closing window is tested against a {@link PoissonDistribution} whose mean is the average,
 * computed afresh with {@link DescriptiveStatistics} over the whole list, of the past windows at
 * the same hour of day. Empty windows between events close too (up to a day of them); a window that
 * alerts is not kept.
 */
public final class NaiveActivityRate {

    private static final long HOUR = 3_600_000L;
    private static final int HISTORY_WINDOWS = 28 * 24;
    private static final int MIN_SAME_HOUR = 7;
    private static final int MAX_EMPTY_WINDOWS = 24;

    private final long windowMillis;
    private final double falseAlarmRate;

    private final List<long[]> history = new ArrayList<>();
    private final List<String> windowIds = new ArrayList<>();
    private long windowStart = Long.MIN_VALUE;
    private long windowCount;

    public NaiveActivityRate(long windowMillis, double falseAlarmRate) {
        this.windowMillis = windowMillis;
        this.falseAlarmRate = falseAlarmRate;
    }

    /** Counts one event; returns the number of alerts raised by windows it closed. */
    public int onEvent(String eventId, long eventTime) {
        long start = eventTime - Math.floorMod(eventTime, windowMillis);
        int alerts = 0;
        if (windowStart == Long.MIN_VALUE) {
            windowStart = start;
        }
        if (start > windowStart + MAX_EMPTY_WINDOWS * windowMillis) {
            windowStart = start - MAX_EMPTY_WINDOWS * windowMillis;
            windowCount = 0;
        }
        while (start > windowStart) {
            alerts += closeWindow();
        }
        windowCount++;
        windowIds.add(eventId);
        return alerts;
    }

    private int closeWindow() {
        DescriptiveStatistics sameHour = new DescriptiveStatistics();
        long hour = hourOfDay(windowStart);
        for (long[] past : history) {
            if (hourOfDay(past[0]) == hour) {
                sameHour.addValue(past[1]);
            }
        }
        boolean alert = false;
        if (sameHour.getN() >= MIN_SAME_HOUR) {
            double mean = Math.max(sameHour.getMean(), 1e-6);
            PoissonDistribution expected =
                    new PoissonDistribution(
                            null,
                            mean,
                            PoissonDistribution.DEFAULT_EPSILON,
                            PoissonDistribution.DEFAULT_MAX_ITERATIONS);
            double upper =
                    windowCount == 0
                            ? 1.0
                            : 1.0 - expected.cumulativeProbability((int) windowCount - 1);
            alert = upper < falseAlarmRate;
        }
        if (!alert) {
            history.add(new long[] {windowStart, windowCount});
            if (history.size() > HISTORY_WINDOWS) {
                history.remove(0);
            }
        }
        windowStart += windowMillis;
        windowCount = 0;
        windowIds.clear();
        return alert ? 1 : 0;
    }

    private static long hourOfDay(long time) {
        return Math.floorMod(time, 24 * HOUR) / HOUR;
    }
}
