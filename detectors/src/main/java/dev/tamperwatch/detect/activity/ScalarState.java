package dev.tamperwatch.detect.activity;

/**
 * Per-series state of {@link StreamingScalarDetector}: a fixed set of numbers (about 360 bytes), no
 * history.
 */
public final class ScalarState {

    long observations;

    /** Plain model: fast and slow exponentially weighted levels of the values. */
    double fastLevel;

    double slowLevel;

    /** Mean absolute residual of the plain model: its Laplace scale. */
    double scale;

    /** Long-run mean absolute deviation of the values from the slow level. */
    double spread;

    /** Smallest and largest value learned. */
    double min;

    double max;

    /** Seasonal model: slow level of the deseasonalised values, local departure from it. */
    double seasonalBase;

    double seasonalLocal;

    /** Mean absolute residual of the seasonal model. */
    double seasonalScale;

    /** Hour-of-day profile, bucket {@code h} centred on {@code h:30}. */
    final double[] profile = new double[DailyProfile.BUCKETS];

    /** Exponentially weighted sampling interval in milliseconds, 0 until two values are seen. */
    double interval;

    long lastTimestamp;

    /** Short-horizon average of the raw scores. */
    double recentRaw;

    /** Long-horizon mean and variance of {@link #recentRaw}. */
    double rawMean;

    double rawVariance;

    /** Highest score of the current incident, and observations since it was set. */
    double incidentPeak;

    long sinceIncidentPeak = Long.MAX_VALUE;

    public long observations() {
        return observations;
    }

    public double fastLevel() {
        return fastLevel;
    }

    public double slowLevel() {
        return slowLevel;
    }

    public double scale() {
        return scale;
    }
}
