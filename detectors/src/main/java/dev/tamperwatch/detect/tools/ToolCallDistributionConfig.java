package dev.tamperwatch.detect.tools;

import java.time.Duration;

/**
 * Settings of {@link ToolCallDistributionDetector}.
 *
 * @param window length of the tumbling event-time windows, aligned to multiples since the epoch
 * @param falseAlarmRate probability, per key and window, that the shift test fires on a key whose
 *     tool mix has not changed; in (0, 1)
 * @param noveltyThreshold a call to a tool the baseline lacks raises a finding when the estimated
 *     probability that a call goes to an unseen tool is below this; in (0, 1)
 * @param warmUpCalls effective calls the baseline must rest on before anything is scored
 * @param maxTrackedTools most tools tracked per key; beyond it the least-used is forgotten into the
 *     "other" mass
 * @param maxBaselineSize cap on the baseline's effective calls; beyond it all counts shrink
 *     proportionally, which bounds the learning rate
 * @param smoothing pseudo-count added to every category of the baseline, including "other"
 * @param minWindowCalls fewest calls a window needs for the shift test
 * @param minExpectedPerBin categories expected fewer calls than this in a window are pooled
 * @param maxToolNameBytes tool names are cut to this many UTF-8 bytes before tracking
 */
public record ToolCallDistributionConfig(
        Duration window,
        double falseAlarmRate,
        double noveltyThreshold,
        double warmUpCalls,
        int maxTrackedTools,
        double maxBaselineSize,
        double smoothing,
        long minWindowCalls,
        double minExpectedPerBin,
        int maxToolNameBytes) {

    public ToolCallDistributionConfig {
        if (window == null || window.toMillis() <= 0) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        requireOpenUnit("falseAlarmRate", falseAlarmRate);
        requireOpenUnit("noveltyThreshold", noveltyThreshold);
        if (!(warmUpCalls >= 0) || minWindowCalls < 0) {
            throw new IllegalArgumentException("warm-up and minimum window size must be >= 0");
        }
        if (maxTrackedTools < 1 || maxToolNameBytes < 1) {
            throw new IllegalArgumentException("tool limits must be positive");
        }
        if (!(maxBaselineSize >= warmUpCalls) || !(maxBaselineSize > 0)) {
            throw new IllegalArgumentException(
                    "maxBaselineSize must be positive and at least the warm-up: "
                            + maxBaselineSize);
        }
        if (!(smoothing > 0) || !(minExpectedPerBin > 0)) {
            throw new IllegalArgumentException("smoothing and minExpectedPerBin must be positive");
        }
    }

    /**
     * One-hour windows, 1e-5 false alarms per key-window, novelty below 1%, warm-up 100 calls, 64
     * tracked tools, baseline cap 1000 calls, smoothing 0.5, shift test from 20 calls, pooling
     * below 5 expected calls, names up to 64 bytes.
     */
    public static ToolCallDistributionConfig defaults() {
        return new ToolCallDistributionConfig(
                Duration.ofHours(1), 1e-5, 0.01, 100, 64, 1000, 0.5, 20, 5, 64);
    }

    public ToolCallDistributionConfig withFalseAlarmRate(double rate) {
        return new ToolCallDistributionConfig(
                window,
                rate,
                noveltyThreshold,
                warmUpCalls,
                maxTrackedTools,
                maxBaselineSize,
                smoothing,
                minWindowCalls,
                minExpectedPerBin,
                maxToolNameBytes);
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must lie in (0, 1): " + value);
        }
    }
}
