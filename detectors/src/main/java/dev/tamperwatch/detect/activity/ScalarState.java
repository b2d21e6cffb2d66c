package dev.tamperwatch.detect.activity;

/** Per-series state of {@link StreamingScalarDetector}. */
public final class ScalarState {

    long observations;
    double fastLevel;
    double slowLevel;

    /** Mean absolute residual: the Laplace scale of the residuals. */
    double scale;

    /** Long-run mean absolute deviation of the values from the slow level. */
    double spread;

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
