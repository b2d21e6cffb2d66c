package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.backtest.BacktestMetrics.Figures;
import dev.tamperwatch.job.backtest.BacktestMetrics.IncidentOutcome;
import dev.tamperwatch.job.backtest.BacktestMetrics.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a second configuration ({@code --compare}) fares against the first on the same input: which
 * incidents each caught, and the change in alert volume and in the headline figures (second minus
 * first).
 *
 * @param caughtByBoth incident ids detected by both runs
 * @param onlyFirst detected by the first run only
 * @param onlySecond detected by the second run only
 * @param neither detected by neither
 * @param alertDelta alerts of the second run minus alerts of the first
 * @param alertDeltaByDetector the same per detector
 * @param figureDelta second minus first for recall, precision, f1, alerts per day and false alerts
 *     per 1,000 key-days (all key types); a figure missing in either run is left out
 */
public record RunComparison(
        List<String> caughtByBoth,
        List<String> onlyFirst,
        List<String> onlySecond,
        List<String> neither,
        long alertDelta,
        Map<String, Long> alertDeltaByDetector,
        Map<String, Double> figureDelta) {

    /** Compares two runs over the same input and labels. */
    public static RunComparison of(Metrics first, Metrics second) {
        List<String> both = new ArrayList<>();
        List<String> onlyFirst = new ArrayList<>();
        List<String> onlySecond = new ArrayList<>();
        List<String> neither = new ArrayList<>();
        List<IncidentOutcome> a = first.incidents() == null ? List.of() : first.incidents();
        List<IncidentOutcome> b = second.incidents() == null ? List.of() : second.incidents();
        for (int i = 0; i < a.size(); i++) {
            boolean x = a.get(i).detected();
            boolean y = i < b.size() && b.get(i).detected();
            String id = a.get(i).incidentId();
            (x && y ? both : x ? onlyFirst : y ? onlySecond : neither).add(id);
        }
        TreeSet<String> detectors = new TreeSet<>(first.alerts().byDetector().keySet());
        detectors.addAll(second.alerts().byDetector().keySet());
        Map<String, Long> byDetector = new LinkedHashMap<>();
        for (String d : detectors) {
            byDetector.put(
                    d,
                    second.alerts().byDetector().getOrDefault(d, 0L)
                            - first.alerts().byDetector().getOrDefault(d, 0L));
        }
        Figures f = first.overall();
        Figures s = second.overall();
        Map<String, Double> delta = new LinkedHashMap<>();
        put(delta, "recall", f.recall(), s.recall());
        put(delta, "precision", f.precision(), s.precision());
        put(delta, "f1", f.f1(), s.f1());
        put(delta, "alerts_per_day", f.alertsPerDay(), s.alertsPerDay());
        put(
                delta,
                "false_alerts_per_1000_key_days",
                f.falseAlertsPer1000KeyDays() == null
                        ? null
                        : f.falseAlertsPer1000KeyDays().get("all"),
                s.falseAlertsPer1000KeyDays() == null
                        ? null
                        : s.falseAlertsPer1000KeyDays().get("all"));
        return new RunComparison(
                both,
                onlyFirst,
                onlySecond,
                neither,
                second.alerts().total() - first.alerts().total(),
                byDetector,
                delta);
    }

    private static void put(Map<String, Double> delta, String name, Double first, Double second) {
        if (first != null && second != null) {
            delta.put(name, BacktestMetrics.round(second - first));
        }
    }
}
