package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.baseline.ScoreRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every score of a replay, compacted for plotting: per subject key, detector and measure family
 * (the measure's name up to its first colon, e.g. {@code tool} for {@code tool:send_email}), the
 * strongest score at each time (window end, or event time for per-event scores) as {@code -log10 p}
 * with the threshold on the same scale. Bounded: beyond {@link #MAX_POINTS} points, later ones are
 * counted but not kept.
 */
public final class ScoreTimelines {

    /** Most points kept over all keys. */
    public static final int MAX_POINTS = 4_000_000;

    /** Smallest p-value plotted; smaller ones are drawn at this height. */
    private static final double MIN_P = 1e-300;

    /** A point: the score and its threshold, both as -log10 of a probability. */
    public record Point(long time, double score, double threshold) {}

    /** The scores of one detector and measure family for one key, in time order. */
    public record Series(String detector, String measure, List<Point> points) {}

    private final Map<String, Map<String, TreeMap<Long, double[]>>> byKey = new HashMap<>();
    private final Map<String, Long> scoresByDetector = new TreeMap<>();
    private long points;
    private long dropped;

    /** Adds one score. */
    public void add(ScoreRecord score) {
        scoresByDetector.merge(score.detector, 1L, Long::sum);
        double y = negLog10(score.pValue);
        double t = negLog10(score.threshold);
        TreeMap<Long, double[]> series =
                byKey.computeIfAbsent(score.keyType + "\u0000" + score.key, k -> new HashMap<>())
                        .computeIfAbsent(
                                score.detector + "\u0000" + family(score.measure),
                                d -> new TreeMap<>());
        double[] existing = series.get(score.windowEnd);
        if (existing != null) {
            if (y > existing[0]) {
                existing[0] = y;
                existing[1] = t;
            }
            return;
        }
        if (points >= MAX_POINTS) {
            dropped++;
            return;
        }
        series.put(score.windowEnd, new double[] {y, t});
        points++;
    }

    /** Scores received per detector, whether kept or not; detectors without any are absent. */
    public Map<String, Long> scoresByDetector() {
        return scoresByDetector;
    }

    /** Scores received but not kept because of {@link #MAX_POINTS}. */
    public long dropped() {
        return dropped;
    }

    /** The series of a key, one per detector and measure family that scored it, by name. */
    public List<Series> of(String keyType, String key) {
        Map<String, TreeMap<Long, double[]>> detectors = byKey.get(keyType + "\u0000" + key);
        List<Series> out = new ArrayList<>();
        if (detectors == null) {
            return out;
        }
        new TreeMap<>(detectors)
                .forEach(
                        (name, series) -> {
                            List<Point> points = new ArrayList<>(series.size());
                            series.forEach((time, v) -> points.add(new Point(time, v[0], v[1])));
                            int cut = name.indexOf('\u0000');
                            out.add(
                                    new Series(
                                            name.substring(0, cut),
                                            name.substring(cut + 1),
                                            points));
                        });
        return out;
    }

    /** The measure's name up to its first colon. */
    static String family(String measure) {
        if (measure == null) {
            return "";
        }
        int colon = measure.indexOf(':');
        return colon < 0 ? measure : measure.substring(0, colon);
    }

    /** {@code -log10 p}, with p clamped to [1e-300, 1]. */
    public static double negLog10(double p) {
        if (Double.isNaN(p)) {
            return 0;
        }
        return -Math.log10(Math.min(1, Math.max(MIN_P, p)));
    }
}
