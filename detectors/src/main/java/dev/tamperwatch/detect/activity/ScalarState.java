package dev.tamperwatch.detect.activity;

/**
 * Per-series state of {@link StreamingScalarDetector}: a fixed set of numbers, no history. About
 * 1.4 KB on the heap: 22 numbers, two 24-bucket hour-of-day profiles (value and shape scale) and a
 * 168-bucket hour-of-week profile in single precision.
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

    /** Mean absolute residual of the shape prediction: seasonal model without its local term. */
    double shapeScale;

    /** Hour-of-week profile of the values less the seasonal base, in single precision. */
    final float[] weekly = new float[DailyProfile.WEEK_BUCKETS];

    /** Mean absolute residual of the shape prediction with the hour-of-week term. */
    double weeklyShapeScale;

    /** Hour-of-day profile of the shape prediction's mean absolute residual. */
    final double[] shapeScaleProfile = new double[DailyProfile.BUCKETS];

    /** Likelihood of the point surprise (the better model's residual). */
    final SurpriseLikelihood pointLikelihood = new SurpriseLikelihood();

    /** Likelihood of the shape surprise, averaged over a longer horizon. */
    final SurpriseLikelihood shapeLikelihood = new SurpriseLikelihood();

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
