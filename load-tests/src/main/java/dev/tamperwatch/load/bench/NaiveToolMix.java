package dev.tamperwatch.load.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * A plain tool-mix test, the reference the tool-call distribution detector is benchmarked against:
 * window counts in a {@code HashMap<String, Long>}, the baseline in a {@code HashMap<String,
 * Double>}, every event id of the window in a list. A tool the baseline lacks is novel when {@code
 * 1 / (baseline calls + 1)} is below the novelty threshold; when a window of enough calls closes,
 * its counts per baseline tool plus one "other" category are tested against the smoothed baseline
 * with Commons Math's {@link ChiSquareTest}; a window that does not alert is learned and the
 * baseline shrunk to its cap.
 */
public final class NaiveToolMix {

    private final long windowMillis;
    private final double falseAlarmRate;
    private final double noveltyThreshold;
    private final double warmUp;
    private final double smoothing;
    private final long minWindowCalls;
    private final double maxBaselineSize;

    private final ChiSquareTest chiSquare = new ChiSquareTest();
    private final Map<String, Long> window = new HashMap<>();
    private final Map<String, Double> baseline = new HashMap<>();
    private final List<String> windowIds = new ArrayList<>();
    private long windowStart = Long.MIN_VALUE;
    private long windowCalls;
    private double baselineCalls;

    public NaiveToolMix(
            long windowMillis,
            double falseAlarmRate,
            double noveltyThreshold,
            double warmUp,
            double smoothing,
            long minWindowCalls,
            double maxBaselineSize) {
        this.windowMillis = windowMillis;
        this.falseAlarmRate = falseAlarmRate;
        this.noveltyThreshold = noveltyThreshold;
        this.warmUp = warmUp;
        this.smoothing = smoothing;
        this.minWindowCalls = minWindowCalls;
        this.maxBaselineSize = maxBaselineSize;
    }

    /** Folds in one call; returns the number of alerts raised. */
    public int onEvent(String tool, String eventId, long eventTime) {
        long start = eventTime - Math.floorMod(eventTime, windowMillis);
        int alerts = 0;
        if (windowCalls > 0 && start > windowStart) {
            alerts += closeWindow();
        }
        if (windowCalls == 0) {
            windowStart = Math.max(start, windowStart);
        }
        if (!baseline.containsKey(tool)
                && !window.containsKey(tool)
                && baselineCalls >= warmUp
                && 1.0 / (baselineCalls + 1.0) < noveltyThreshold) {
            alerts++;
        }
        window.merge(tool, 1L, Long::sum);
        windowCalls++;
        windowIds.add(eventId);
        return alerts;
    }

    private int closeWindow() {
        boolean alert = false;
        if (baselineCalls >= warmUp && windowCalls >= minWindowCalls && !baseline.isEmpty()) {
            List<String> tools = new ArrayList<>(baseline.keySet());
            double[] expected = new double[tools.size() + 1];
            long[] observed = new long[tools.size() + 1];
            double total = baselineCalls + smoothing * expected.length;
            long known = 0;
            for (int i = 0; i < tools.size(); i++) {
                String tool = tools.get(i);
                expected[i] = windowCalls * (baseline.get(tool) + smoothing) / total;
                observed[i] = window.getOrDefault(tool, 0L);
                known += observed[i];
            }
            expected[tools.size()] = windowCalls * smoothing / total;
            observed[tools.size()] = windowCalls - known;
            alert = chiSquare.chiSquareTest(expected, observed) < falseAlarmRate;
        }
        if (!alert) {
            window.forEach((tool, calls) -> baseline.merge(tool, (double) calls, Double::sum));
            baselineCalls += windowCalls;
            if (baselineCalls > maxBaselineSize) {
                double shrink = maxBaselineSize / baselineCalls;
                baseline.replaceAll((tool, calls) -> calls * shrink);
                baselineCalls = maxBaselineSize;
            }
        }
        windowStart += windowMillis;
        window.clear();
        windowIds.clear();
        windowCalls = 0;
        return alert ? 1 : 0;
    }
}
