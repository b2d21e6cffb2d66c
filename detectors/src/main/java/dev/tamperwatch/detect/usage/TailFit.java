package dev.tamperwatch.detect.usage;

/**
 * Exponential fit to the logarithm of a histogram's upper tail — a Pareto tail on the values — with
 * its posterior predictive, for tail probabilities beyond what the histogram has seen.
 *
 * <p>Above the threshold {@code u}, the log-excess {@code ln(x / u)} is taken as exponential with
 * an unknown rate. With {@code m} tail observations whose log-excesses sum to {@code s}, the rate's
 * posterior under the scale-free prior is Gamma({@code m}, {@code s}), and a new observation
 * exceeds {@code u e^e} with predictive probability {@code (m / n) (s / (s + e))^m} (a Lomax tail
 * scaled by the tail's share of the {@code n} observations). The predictive is heavier than the
 * plug-in exponential, more so the fewer tail observations there are. Distributions whose log has a
 * lighter-than-exponential tail — log-normal, gamma, Weibull, anything bounded — are overestimated
 * in the far tail, so tests on this fit are conservative for them; a Pareto tail is matched.
 *
 * @param startBin histogram bin at whose lower edge {@code u} the tail starts, at least 1
 * @param tailWeight {@code m}, weight at or above the start bin, positive
 * @param logExcess {@code s}, weighted sum of the bins' log-excesses over {@code u}, positive
 * @param totalWeight {@code n}, weight of the whole histogram
 */
public record TailFit(int startBin, double tailWeight, double logExcess, double totalWeight) {

    public TailFit {
        if (startBin < 1 || !(tailWeight > 0) || !(logExcess > 0) || !(totalWeight >= tailWeight)) {
            throw new IllegalArgumentException(
                    "invalid tail fit: bin " + startBin + ", m " + tailWeight + ", s " + logExcess);
        }
    }

    /** The tail's start {@code u}: the lower edge of the start bin. */
    public double start() {
        return LogHistogram.lowerEdge(startBin);
    }

    /** Mean log-excess over {@code u}, the fitted exponential scale. */
    public double scale() {
        return logExcess / tailWeight;
    }

    /**
     * Predictive probability that a value lies at or above the lower edge of {@code bin}; the
     * tail's share {@code m / n} for bins at or below the start.
     */
    public double exceedance(int bin) {
        double share = tailWeight / totalWeight;
        if (bin <= startBin) {
            return share;
        }
        double excess = LogHistogram.logLowerEdge(bin) - LogHistogram.logLowerEdge(startBin);
        return share * Math.exp(-tailWeight * Math.log1p(excess / logExcess));
    }

    /**
     * Value beyond which the predictive exceedance falls below {@code probability}: {@code u e^e}
     * with {@code (m / n) (s / (s + e))^m = probability}; {@code u} when the tail's share itself is
     * below it.
     */
    public double valueAt(double probability) {
        double share = tailWeight / totalWeight;
        if (share <= probability) {
            return start();
        }
        double excess = logExcess * Math.expm1(Math.log(share / probability) / tailWeight);
        return start() * Math.exp(excess);
    }
}
