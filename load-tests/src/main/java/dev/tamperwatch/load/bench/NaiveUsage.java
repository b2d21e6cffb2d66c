package dev.tamperwatch.load.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * A plain usage test, the reference the usage detector is benchmarked against: the last {@code
 * maxOutputs} output token counts and output lengths, and the last {@code maxWindows} window token
 * sums, each in a sliding {@link DescriptiveStatistics}. An output is flagged when a size exceeds
 * the baseline's {@code 1 - outputFalseAlarmRate} percentile, computed afresh for every output; a
 * closing window when its token sum exceeds the {@code 1 - windowFalseAlarmRate} percentile of the
 * window sums. What is not flagged is added to its baseline.
 */
public final class NaiveUsage {

    private final long windowMillis;
    private final double outputPercentile;
    private final double windowPercentile;
    private final long warmUpOutputs;
    private final long warmUpWindows;

    private final DescriptiveStatistics outputTokens;
    private final DescriptiveStatistics outputChars;
    private final DescriptiveStatistics windowTokens;
    private final List<String> windowIds = new ArrayList<>();
    private long windowStart = Long.MIN_VALUE;
    private long windowEvents;
    private long windowTokenSum;

    public NaiveUsage(
            long windowMillis,
            double outputFalseAlarmRate,
            double windowFalseAlarmRate,
            long warmUpOutputs,
            long warmUpWindows,
            int maxOutputs,
            int maxWindows) {
        this.windowMillis = windowMillis;
        this.outputPercentile = 100 * (1 - outputFalseAlarmRate);
        this.windowPercentile = 100 * (1 - windowFalseAlarmRate);
        this.warmUpOutputs = warmUpOutputs;
        this.warmUpWindows = warmUpWindows;
        this.outputTokens = new DescriptiveStatistics(maxOutputs);
        this.outputChars = new DescriptiveStatistics(maxOutputs);
        this.windowTokens = new DescriptiveStatistics(maxWindows);
    }

    /**
     * Folds in one event's sizes, any of which may be null; returns the number of alerts raised.
     */
    public int onEvent(
            Integer outputTokenCount,
            Integer lengthChars,
            Integer inputTokenCount,
            String eventId,
            long eventTime) {
        long start = eventTime - Math.floorMod(eventTime, windowMillis);
        int alerts = 0;
        if (windowEvents > 0 && start > windowStart) {
            alerts += closeWindow();
        }
        if (windowEvents == 0) {
            windowStart = Math.max(start, windowStart);
        }
        windowEvents++;
        windowTokenSum +=
                (outputTokenCount == null ? 0 : outputTokenCount)
                        + (inputTokenCount == null ? 0 : inputTokenCount);
        boolean flagged =
                exceeds(outputTokens, outputTokenCount) || exceeds(outputChars, lengthChars);
        if (flagged) {
            alerts++;
        } else {
            if (outputTokenCount != null) {
                outputTokens.addValue(outputTokenCount);
            }
            if (lengthChars != null) {
                outputChars.addValue(lengthChars);
            }
        }
        windowIds.add(eventId);
        return alerts;
    }

    private boolean exceeds(DescriptiveStatistics baseline, Integer value) {
        return value != null
                && baseline.getN() >= warmUpOutputs
                && value > baseline.getPercentile(outputPercentile);
    }

    private int closeWindow() {
        boolean alert =
                windowTokens.getN() >= warmUpWindows
                        && windowTokenSum > windowTokens.getPercentile(windowPercentile);
        if (!alert) {
            windowTokens.addValue(windowTokenSum);
        }
        windowStart += windowMillis;
        windowEvents = 0;
        windowTokenSum = 0;
        windowIds.clear();
        return alert ? 1 : 0;
    }
}
