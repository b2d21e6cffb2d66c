package dev.tamperwatch.load.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * A plain refusal-rate test, the reference the refusal-rate detector is benchmarked against: the
 * same tumbling windows, prior, warm-up, false-alarm rate and baseline cap, written the textbook
 * way. Every observation of the open window is kept (its 0/1 outcome in a {@link
 * DescriptiveStatistics}, its event id in a list); when the window closes, its refusals are tested
 * two-sided against a {@link BinomialDistribution} at the baseline's mean rate, and a window that
 * does not alert is added to the baseline.
 */
public final class NaiveRefusalRate {

    private final long windowMillis;
    private final double falseAlarmRate;
    private final double priorRefused;
    private final double priorAnswered;
    private final double warmUp;
    private final long minWindowEvents;
    private final double maxBaselineSize;

    private final DescriptiveStatistics window = new DescriptiveStatistics();
    private final List<String> windowIds = new ArrayList<>();
    private long windowStart = Long.MIN_VALUE;
    private double baselineRefused;
    private double baselineAnswered;

    /**
     * @param windowMillis window length
     * @param falseAlarmRate two-sided false-alarm rate per window
     * @param priorMean prior refusal rate
     * @param priorStrength prior weight in observations
     * @param warmUp baseline observations needed before windows are tested
     * @param minWindowEvents fewest outputs a tested window needs
     * @param maxBaselineSize cap on the baseline's observations
     */
    public NaiveRefusalRate(
            long windowMillis,
            double falseAlarmRate,
            double priorMean,
            double priorStrength,
            double warmUp,
            long minWindowEvents,
            double maxBaselineSize) {
        this.windowMillis = windowMillis;
        this.falseAlarmRate = falseAlarmRate;
        this.priorRefused = priorMean * priorStrength;
        this.priorAnswered = (1 - priorMean) * priorStrength;
        this.warmUp = warmUp;
        this.minWindowEvents = minWindowEvents;
        this.maxBaselineSize = maxBaselineSize;
    }

    /** Folds in one output; returns the number of alerts raised (0 or 1). */
    public int onEvent(boolean refused, String eventId, long eventTime) {
        long start = eventTime - Math.floorMod(eventTime, windowMillis);
        int alerts = 0;
        if (window.getN() > 0 && start > windowStart) {
            alerts = closeWindow();
        }
        if (window.getN() == 0) {
            windowStart = Math.max(start, windowStart);
        }
        window.addValue(refused ? 1 : 0);
        windowIds.add(eventId);
        return alerts;
    }

    private int closeWindow() {
        int n = (int) window.getN();
        int k = (int) Math.round(window.getSum());
        boolean alert = false;
        if (baselineRefused + baselineAnswered >= warmUp && n >= minWindowEvents) {
            double alpha = priorRefused + baselineRefused;
            double beta = priorAnswered + baselineAnswered;
            BinomialDistribution expected =
                    new BinomialDistribution(null, n, alpha / (alpha + beta));
            double upper = k == 0 ? 1.0 : 1.0 - expected.cumulativeProbability(k - 1);
            double lower = expected.cumulativeProbability(k);
            double pValue = Math.min(1.0, 2.0 * Math.min(upper, lower));
            alert = pValue < falseAlarmRate;
        }
        if (!alert) {
            double refused = baselineRefused + k;
            double answered = baselineAnswered + n - k;
            double shrink = Math.min(1.0, maxBaselineSize / (refused + answered));
            baselineRefused = refused * shrink;
            baselineAnswered = answered * shrink;
        }
        windowStart += windowMillis;
        window.clear();
        windowIds.clear();
        return alert ? 1 : 0;
    }
}
