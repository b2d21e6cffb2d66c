package dev.tamperwatch.detect.tools;

import java.time.Duration;

/**
 * Settings of {@link ToolCallDistributionDetector}.
 *
 * @param window length of the tumbling event-time windows, aligned to multiples since the epoch
 * @param falseAlarmRate probability, per key and window, that the shift test fires on a key whose
 *     tool mix has not changed; in (0, 1)
 * @param noveltyThreshold probability, per key and window, that each novelty test (novel tool,
 *     novel transition, novel target) fires on a key whose behaviour has not changed: a never-seen
 *     item raises a finding when the estimated chance of any never-seen item in a window of the
 *     key's usual size is below this; in (0, 1)
 * @param warmUpCalls effective calls the baseline must rest on before anything is scored
 * @param maxTrackedTools most tools tracked per key; beyond it the least-used is forgotten into the
 *     "other" mass
 * @param maxBaselineSize cap on the baseline's effective calls; beyond it all counts shrink
 *     proportionally, which bounds the learning rate
 * @param smoothing pseudo-count added to every category of the baseline, including "other"
 * @param minWindowCalls fewest calls a window needs for the shift test
 * @param minExpectedPerBin categories expected fewer calls than this in a window are pooled
 * @param maxToolNameBytes tool names are cut to this many UTF-8 bytes before tracking
 * @param maxTrackedTransitions most distinct tool-to-tool transitions remembered per key, 0 to
 *     disable transition novelty
 * @param maxTrackedRuns most runs per key whose last call is remembered to form transitions; calls
 *     of further concurrent runs form none
 * @param maxTargetsPerTool most distinct targets remembered per tool
 * @param maxTrackedTargets most distinct targets remembered per key over all tools, 0 to disable
 *     target novelty
 * @param noveltyHorizon calls after which the novelty counts (calls, transitions, targets) halve,
 *     so that the discovery rate follows the recent history; at least {@code warmUpCalls}
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
        int maxToolNameBytes,
        int maxTrackedTransitions,
        int maxTrackedRuns,
        int maxTargetsPerTool,
        int maxTrackedTargets,
        long noveltyHorizon) {

    /** Largest number of transitions, runs or targets a key may be configured to track. */
    public static final int MAX_TRACKED_ITEMS = 4096;

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
        for (int limit :
                new int[] {
                    maxTrackedTransitions, maxTrackedRuns, maxTargetsPerTool, maxTrackedTargets
                }) {
            if (limit < 0 || limit > MAX_TRACKED_ITEMS) {
                throw new IllegalArgumentException(
                        "transition, run and target limits must lie in [0, "
                                + MAX_TRACKED_ITEMS
                                + "]: "
                                + limit);
            }
        }
        if (noveltyHorizon < 1 || noveltyHorizon < warmUpCalls || noveltyHorizon > 1L << 40) {
            throw new IllegalArgumentException(
                    "noveltyHorizon must lie in [max(1, warm-up), 2^40]: " + noveltyHorizon);
        }
    }

    /**
     * The settings before transition and target novelty existed, with their limits at the defaults.
     */
    public ToolCallDistributionConfig(
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
        this(
                window,
                falseAlarmRate,
                noveltyThreshold,
                warmUpCalls,
                maxTrackedTools,
                maxBaselineSize,
                smoothing,
                minWindowCalls,
                minExpectedPerBin,
                maxToolNameBytes,
                DEFAULT_TRANSITIONS,
                DEFAULT_RUNS,
                DEFAULT_TARGETS_PER_TOOL,
                DEFAULT_TARGETS,
                DEFAULT_NOVELTY_HORIZON);
    }

    private static final int DEFAULT_TRANSITIONS = 128;
    private static final int DEFAULT_RUNS = 8;
    private static final int DEFAULT_TARGETS_PER_TOOL = 8;
    private static final int DEFAULT_TARGETS = 128;
    private static final long DEFAULT_NOVELTY_HORIZON = 100_000;

    /**
     * One-hour windows, 1e-5 false alarms per key-window for the shift test and 1e-2 per key-window
     * for each novelty test, warm-up 100 calls, 64 tracked tools, baseline cap 1000 calls,
     * smoothing 0.5, shift test from 20 calls, pooling below 5 expected calls, names up to 64
     * bytes, 128 transitions, 8 concurrent runs, 8 targets per tool and 128 per key, novelty counts
     * halving every 100,000 calls.
     */
    public static ToolCallDistributionConfig defaults() {
        return new ToolCallDistributionConfig(
                Duration.ofHours(1),
                1e-5,
                0.01,
                100,
                64,
                1000,
                0.5,
                20,
                5,
                64,
                DEFAULT_TRANSITIONS,
                DEFAULT_RUNS,
                DEFAULT_TARGETS_PER_TOOL,
                DEFAULT_TARGETS,
                DEFAULT_NOVELTY_HORIZON);
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
                maxToolNameBytes,
                maxTrackedTransitions,
                maxTrackedRuns,
                maxTargetsPerTool,
                maxTrackedTargets,
                noveltyHorizon);
    }

    public ToolCallDistributionConfig withNoveltyThreshold(double threshold) {
        return new ToolCallDistributionConfig(
                window,
                falseAlarmRate,
                threshold,
                warmUpCalls,
                maxTrackedTools,
                maxBaselineSize,
                smoothing,
                minWindowCalls,
                minExpectedPerBin,
                maxToolNameBytes,
                maxTrackedTransitions,
                maxTrackedRuns,
                maxTargetsPerTool,
                maxTrackedTargets,
                noveltyHorizon);
    }

    /**
     * The same settings with novelty alone: no window holds {@code minWindowCalls} = {@link
     * Long#MAX_VALUE} calls, so the distribution-shift test never runs. For a key whose mix
     * legitimately changes from window to window, such as an identity served by whichever of its
     * agents it chooses, while a tool, transition or target new to it stays meaningful.
     */
    public ToolCallDistributionConfig withoutShiftTest() {
        return new ToolCallDistributionConfig(
                window,
                falseAlarmRate,
                noveltyThreshold,
                warmUpCalls,
                maxTrackedTools,
                maxBaselineSize,
                smoothing,
                Long.MAX_VALUE,
                minExpectedPerBin,
                maxToolNameBytes,
                maxTrackedTransitions,
                maxTrackedRuns,
                maxTargetsPerTool,
                maxTrackedTargets,
                noveltyHorizon);
    }

    public ToolCallDistributionConfig withWindow(Duration length) {
        return new ToolCallDistributionConfig(
                length,
                falseAlarmRate,
                noveltyThreshold,
                warmUpCalls,
                maxTrackedTools,
                maxBaselineSize,
                smoothing,
                minWindowCalls,
                minExpectedPerBin,
                maxToolNameBytes,
                maxTrackedTransitions,
                maxTrackedRuns,
                maxTargetsPerTool,
                maxTrackedTargets,
                noveltyHorizon);
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must lie in (0, 1): " + value);
        }
    }
}
