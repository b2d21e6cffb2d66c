package dev.tamperwatch.load.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * A plain embedding outlier test, the reference the embedding-drift detector is benchmarked
 * against: the last {@code capacity} unit vectors are kept as {@code double[]}, and for every event
 * the centroid is recomputed from all of them; the event's cosine distance to it is flagged when it
 * exceeds the mean plus {@code z} standard deviations of the kept vectors' distances (a {@link
 * DescriptiveStatistics} over the same sliding span), {@code z} the normal quantile of the
 * false-alarm rate. Events not flagged join the baseline. Event ids of the open window are kept in
 * a list.
 */
public final class NaiveEmbeddingCentroid {

    private final long windowMillis;
    private final int capacity;
    private final int warmUp;
    private final double z;

    private final ArrayDeque<double[]> baseline = new ArrayDeque<>();
    private final DescriptiveStatistics distances;
    private final List<String> windowIds = new ArrayList<>();
    private long windowStart = Long.MIN_VALUE;

    /**
     * @param windowMillis window length (the evidence list is cleared per window)
     * @param falseAlarmRate per-event false-alarm rate, in (0, 1)
     * @param warmUp vectors kept before events are scored
     * @param capacity vectors kept
     */
    public NaiveEmbeddingCentroid(
            long windowMillis, double falseAlarmRate, int warmUp, int capacity) {
        this.windowMillis = windowMillis;
        this.capacity = capacity;
        this.warmUp = warmUp;
        this.z =
                new NormalDistribution(null, 0, 1).inverseCumulativeProbability(1 - falseAlarmRate);
        this.distances = new DescriptiveStatistics(capacity);
    }

    /** Scores and learns one embedding; returns the number of alerts raised (0 or 1). */
    public int onEvent(float[] embedding, String eventId, long eventTime) {
        long start = eventTime - Math.floorMod(eventTime, windowMillis);
        if (start > windowStart) {
            windowStart = start;
            windowIds.clear();
        }
        windowIds.add(eventId);
        double[] vector = unit(embedding);
        double[] centroid = new double[vector.length];
        for (double[] kept : baseline) {
            for (int i = 0; i < centroid.length; i++) {
                centroid[i] += kept[i];
            }
        }
        double distance = baseline.isEmpty() ? 0.0 : cosineDistance(vector, centroid);
        boolean flagged =
                baseline.size() >= warmUp
                        && distance > distances.getMean() + z * distances.getStandardDeviation();
        if (flagged) {
            return 1;
        }
        baseline.addLast(vector);
        if (baseline.size() > capacity) {
            baseline.removeFirst();
        }
        distances.addValue(distance);
        return 0;
    }

    private static double[] unit(float[] embedding) {
        double norm = 0;
        for (float x : embedding) {
            norm += (double) x * x;
        }
        double scale = 1.0 / Math.sqrt(norm);
        double[] vector = new double[embedding.length];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = embedding[i] * scale;
        }
        return vector;
    }

    private static double cosineDistance(double[] unit, double[] centroid) {
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < unit.length; i++) {
            dot += unit[i] * centroid[i];
            norm += centroid[i] * centroid[i];
        }
        return norm == 0 ? 1.0 : 1.0 - dot / Math.sqrt(norm);
    }
}
