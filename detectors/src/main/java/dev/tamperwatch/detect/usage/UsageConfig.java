package dev.tamperwatch.detect.usage;

import java.time.Duration;

/**
 * Settings of {@link UsageDetector}.
 *
 * @param window length of the tumbling event-time windows, aligned to multiples since the epoch
 * @param outputFalseAlarmRate probability, per output of a key whose output sizes have not changed,
 *     that the output is flagged as exfiltration-sized; in (0, 1)
 * @param windowFalseAlarmRate probability, per key and window, that the token-use test fires on a
 *     key whose usage has not changed; the drift test holds to the same rate; in (0, 1)
 * @param outputTailSize effective number of a key's largest outputs the tail model is fitted to
 *     (all of them while the baseline holds fewer), at least 2
 * @param windowTailSize effective number of a key's largest window token sums the tail model is
 *     fitted to, at least 2
 * @param warmUpOutputs effective outputs a size baseline must rest on before outputs are scored and
 *     its drift is tracked
 * @param warmUpWindows effective windows the token-use baseline must rest on before windows are
 *     scored
 * @param maxBaselineOutputs cap on a size baseline's effective outputs; beyond it all weights
 *     shrink proportionally, which bounds the learning rate and sets the slow baseline's horizon
 * @param maxBaselineWindows cap on the token-use baseline's effective windows
 * @param fastHorizonOutputs effective number of recent outputs the fast baseline averages over, at
 *     least 1 and below {@code maxBaselineOutputs}
 */
public record UsageConfig(
        Duration window,
        double outputFalseAlarmRate,
        double windowFalseAlarmRate,
        double outputTailSize,
        double windowTailSize,
        double warmUpOutputs,
        double warmUpWindows,
        double maxBaselineOutputs,
        double maxBaselineWindows,
        double fastHorizonOutputs) {

    public UsageConfig {
        if (window == null || window.toMillis() <= 0) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        requireOpenUnit("outputFalseAlarmRate", outputFalseAlarmRate);
        requireOpenUnit("windowFalseAlarmRate", windowFalseAlarmRate);
        if (!(outputTailSize >= 2) || !(windowTailSize >= 2)) {
            throw new IllegalArgumentException(
                    "tail sizes must be at least 2: " + outputTailSize + ", " + windowTailSize);
        }
        if (!(warmUpOutputs >= 0) || !(warmUpWindows >= 0)) {
            throw new IllegalArgumentException("warm-ups must be >= 0");
        }
        if (!(maxBaselineOutputs >= warmUpOutputs)
                || !(maxBaselineOutputs > 0)
                || Double.isInfinite(maxBaselineOutputs)) {
            throw new IllegalArgumentException(
                    "maxBaselineOutputs must be finite, positive and at least the warm-up: "
                            + maxBaselineOutputs);
        }
        if (!(maxBaselineWindows >= warmUpWindows)
                || !(maxBaselineWindows > 0)
                || Double.isInfinite(maxBaselineWindows)) {
            throw new IllegalArgumentException(
                    "maxBaselineWindows must be finite, positive and at least the warm-up: "
                            + maxBaselineWindows);
        }
        if (!(fastHorizonOutputs >= 1) || !(fastHorizonOutputs < maxBaselineOutputs)) {
            throw new IllegalArgumentException(
                    "fastHorizonOutputs must lie in [1, maxBaselineOutputs): "
                            + fastHorizonOutputs);
        }
    }

    /**
     * One-hour windows; 1e-4 false alarms per output, 1e-5 per key-window; tails fitted to the 30
     * largest outputs and the 12 largest window sums (in a full baseline the top 1.5% of outputs:
     * the higher a tail starts, the less conservative the exponential fit is for light tails, while
     * 30 outputs keep the predictive from being much heavier than the fit); warm-up 200 outputs and
     * 24 windows; slow baselines of 2000 outputs and 720 windows (30 days); fast baseline of 100
     * outputs.
     */
    public static UsageConfig defaults() {
        return new UsageConfig(Duration.ofHours(1), 1e-4, 1e-5, 30, 12, 200, 24, 2000, 720, 100);
    }

    /** These settings with the per-output and per-key-window false-alarm rates replaced. */
    public UsageConfig withFalseAlarmRates(double perOutput, double perWindow) {
        return new UsageConfig(
                window,
                perOutput,
                perWindow,
                outputTailSize,
                windowTailSize,
                warmUpOutputs,
                warmUpWindows,
                maxBaselineOutputs,
                maxBaselineWindows,
                fastHorizonOutputs);
    }

    /** Weight of the newest output in the fast baseline's moving average: 2 / (horizon + 1). */
    double fastWeight() {
        return 2.0 / (fastHorizonOutputs + 1.0);
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must lie in (0, 1): " + value);
        }
    }
}
