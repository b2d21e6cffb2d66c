package dev.tamperwatch.detect.embedding;

/**
 * Upper tail of a key's per-event cosine distance to its fast centroid, by peaks over a threshold.
 *
 * <p>The tail starts at {@code u = mean + 1.2816 sd} of the learned distances (the 90th percentile
 * were they normal). Above it, the excess {@code y = d - u} is taken as exponential with an unknown
 * rate; with {@code m} learned exceedances of mean excess {@code e}, plus one pseudo-exceedance of
 * that mean so that a key with none still has a tail, the rate's posterior predictive gives
 *
 * <pre>P(D &gt; u + y) = p_u (1 + y / (m' e))^(-m'),   m' = m + 1,   p_u = (m + 1) / (n + 1)</pre>
 *
 * <p>where {@code n} is the effective number of learned events: a Lomax tail, heavier than the
 * plug-in exponential the fewer exceedances there are. Cosine distances are bounded, so their true
 * tail is lighter than exponential and the test is conservative; its power against embeddings far
 * off the key's topics is unaffected. Below {@code u} the same formula is continued and capped at
 * one, so that every event gets a p-value.
 */
final class DistanceTail {

    /** Standard normal quantile of 0.9. */
    static final double START_Z = 1.2815515655446004;

    /** Smallest mean excess, in cosine distance, so that float noise is never an outlier. */
    static final double MIN_SCALE = 1e-6;

    private DistanceTail() {}

    /** Start {@code u} of the tail; +infinity while no distance has been learned. */
    static double start(EmbeddingState state) {
        if (!(state.distanceSize > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        double variance = state.distanceSquareMean - state.distanceMean * state.distanceMean;
        return state.distanceMean + START_Z * Math.sqrt(Math.max(0.0, variance));
    }

    /** Learned exceedances {@code m}. */
    static double exceedances(EmbeddingState state) {
        return state.tailSize * state.exceedRate;
    }

    /** Predictive probability {@code p_u} that an event exceeds the tail start. */
    static double share(EmbeddingState state) {
        return (exceedances(state) + 1.0) / (state.tailSize + 1.0);
    }

    /** Mean excess over the tail start, at least {@link #MIN_SCALE}. */
    static double scale(EmbeddingState state) {
        double scale = state.exceedRate > 0 ? state.excessMean / state.exceedRate : 0.0;
        return Math.max(MIN_SCALE, scale);
    }

    /** Predictive probability that an event lies at least {@code distance} from the centroid. */
    static double pValue(EmbeddingState state, double distance) {
        double weight = exceedances(state) + 1.0;
        double base = 1.0 + (distance - state.tailStart) / (weight * scale(state));
        if (!(base > 0)) {
            return 1.0;
        }
        return Math.min(1.0, share(state) * Math.pow(base, -weight));
    }

    /** Distance beyond which the p-value falls below {@code rate}. */
    static double threshold(EmbeddingState state, double rate) {
        double share = share(state);
        if (share <= rate) {
            return state.tailStart;
        }
        double weight = exceedances(state) + 1.0;
        return state.tailStart
                + weight * scale(state) * Math.expm1(Math.log(share / rate) / weight);
    }
}
