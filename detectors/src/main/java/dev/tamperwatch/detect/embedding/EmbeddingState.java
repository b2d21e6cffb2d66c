package dev.tamperwatch.detect.embedding;

import dev.tamperwatch.detect.state.EvidenceSlots;
import java.util.Arrays;

/**
 * Per-key state of {@link EmbeddingDriftDetector}, bound at its first observation to one embedding
 * model and dimension.
 *
 * <p>It holds a fast and a slow baseline centroid (weighted means of unit vectors, float32, so
 * their norm is below one and shrinks with the dispersion), the per-event distance model (moments
 * of the cosine distance to the fast centroid and of its upper tail), the random-feature baselines
 * (fast and slow mean feature vectors, float32) once the kernel bandwidth is set, the null
 * distribution of the window statistic, and the open window: its event and outlier counts, the sum
 * of its non-outlier unit vectors, its distance sums, the sums of its events' features and of its
 * outliers' features, and up to {@link EvidenceSlots#CAPACITY} event ids of its most distant events
 * (tag: cosine distance in millionths; once the slots are full, only events beyond the distance
 * tail's start compete for them).
 *
 * <p>Every baseline keeps its effective size and the sum of its squared weights, so that the
 * variance of a baseline mean is known in units of the per-event variance.
 */
public final class EmbeddingState {

    /** Embedding model the state is bound to; null until the first observation. */
    String model;

    /** Dimension the state is bound to; 0 until the first observation. */
    int dimension;

    /**
     * Start of the open window, or, when none is open, the earliest start the next one may have.
     */
    long windowStart = Long.MIN_VALUE;

    float[] fastCentroid;
    float[] slowCentroid;

    /** Effective events of the fast centroid. */
    double fastSize;

    /** Sum of the squared weights of the events in the fast centroid. */
    double fastSquares;

    /** Effective events of the slow centroid. */
    double slowSize;

    /** Effective events of the distance moments. */
    double distanceSize;

    double distanceMean;
    double distanceSquareMean;

    /** Effective events of the tail moments. */
    double tailSize;

    /** Share of events whose distance exceeded the tail start. */
    double exceedRate;

    /** Mean of {@code max(0, distance - tail start)} per event. */
    double excessMean;

    /** Kernel bandwidth in units of Euclidean distance between unit vectors; 0 until set. */
    float bandwidth;

    /** Fingerprint of the random features the feature baselines were learned with. */
    long featureFingerprint;

    float[] featureFast;
    float[] featureSlow;
    double featureFastSize;
    double featureFastSquares;
    double featureSlowSize;
    double featureSlowSquares;

    /** Sum over events of the product of their fast and slow feature-baseline weights. */
    double featureCross;

    /** Effective windows of the window statistic's null distribution. */
    double historySize;

    /** Sum of the squared weights of those windows. */
    double historySquares;

    double historyMean;
    double historySquareMean;
    double historyCubeMean;

    /** Whether the drift test fired and has not yet fallen back below its re-arm level. */
    boolean driftAlerted;

    /** Events in the open window; zero when no window is open. */
    long windowEvents;

    /** Events of the open window flagged as outliers. */
    long windowOutliers;

    /** Sum of the open window's non-outlier unit vectors. */
    float[] windowSum;

    double windowDistanceSum;
    double windowDistanceSquareSum;
    long windowExceedances;
    double windowExcessSum;

    /** Sum of the features of all events of the open window. */
    float[] windowFeatures;

    /** Sum of the features of the open window's outliers. */
    float[] windowOutlierFeatures;

    EvidenceSlots evidence = new EvidenceSlots();

    // Derived from the fields above, not encoded.

    /** {@code 1 / |fastCentroid|}, or 0 when the centroid is zero. */
    double fastInverseNorm;

    /** Start {@code u} of the distance tail; +infinity before the distance model exists. */
    double tailStart = Double.POSITIVE_INFINITY;

    /** Per-event outlier threshold, and the false-alarm rate it was computed for (0: none). */
    double outlierThreshold = Double.POSITIVE_INFINITY;

    double outlierThresholdRate;

    /** The embedding model this state is bound to, or null before the first observation. */
    public String model() {
        return model;
    }

    /** The embedding dimension this state is bound to, or 0 before the first observation. */
    public int dimension() {
        return dimension;
    }

    /** Effective number of events the fast baseline rests on. */
    public double baselineSize() {
        return fastSize;
    }

    /** Effective number of events the slow baseline rests on. */
    public double slowBaselineSize() {
        return slowSize;
    }

    boolean bound() {
        return dimension > 0;
    }

    boolean hasOpenWindow() {
        return windowEvents > 0;
    }

    boolean hasFeatures() {
        return bandwidth > 0f;
    }

    /** Binds a fresh state to a model and dimension and allocates its vectors. */
    void bind(String embeddingModel, int embeddingDimension) {
        model = embeddingModel;
        dimension = embeddingDimension;
        fastCentroid = new float[embeddingDimension];
        slowCentroid = new float[embeddingDimension];
        windowSum = new float[embeddingDimension];
    }

    /** Starts feature baselines of {@code features} features at the given bandwidth. */
    void enableFeatures(float kernelBandwidth, long fingerprint, int features) {
        bandwidth = kernelBandwidth;
        featureFingerprint = fingerprint;
        featureFast = new float[features];
        featureSlow = new float[features];
        windowFeatures = new float[features];
        windowOutlierFeatures = new float[features];
    }

    /** Forgets the feature baselines and the window statistic's history, to be learned anew. */
    void resetFeatures() {
        bandwidth = 0f;
        featureFingerprint = 0;
        featureFast = null;
        featureSlow = null;
        windowFeatures = null;
        windowOutlierFeatures = null;
        featureFastSize = 0;
        featureFastSquares = 0;
        featureSlowSize = 0;
        featureSlowSquares = 0;
        featureCross = 0;
        historySize = 0;
        historySquares = 0;
        historyMean = 0;
        historySquareMean = 0;
        historyCubeMean = 0;
        driftAlerted = false;
    }

    /**
     * Whether the state was seeded from peers and has seen no event of its own: it is bound, but no
     * window was ever opened.
     */
    boolean seededOnly() {
        return bound() && windowStart == Long.MIN_VALUE;
    }

    /**
     * Binds this fresh state to the peers' model and copies their fast centroid, as the slow one
     * too, and their distance model and tail, each resting on at most {@code events} events and,
     * with that weight, on no fewer squared weights than equal weights give.
     */
    void seedFrom(EmbeddingState peers, double events) {
        bind(peers.model, peers.dimension);
        fastSize = Math.min(peers.fastSize, events);
        fastSquares = Math.max(peers.fastSquares, 1.0 / fastSize);
        slowSize = fastSize;
        System.arraycopy(peers.fastCentroid, 0, fastCentroid, 0, dimension);
        System.arraycopy(peers.fastCentroid, 0, slowCentroid, 0, dimension);
        distanceSize = Math.min(peers.distanceSize, events);
        distanceMean = peers.distanceMean;
        distanceSquareMean = peers.distanceSquareMean;
        tailSize = Math.min(peers.tailSize, events);
        exceedRate = peers.exceedRate;
        excessMean = peers.excessMean;
        recomputeDerived();
    }

    /** Returns a state seeded from peers to a fresh one, not bound to any model. */
    void unseed() {
        resetFeatures();
        model = null;
        dimension = 0;
        fastCentroid = null;
        slowCentroid = null;
        windowSum = null;
        fastSize = 0;
        fastSquares = 0;
        slowSize = 0;
        distanceSize = 0;
        distanceMean = 0;
        distanceSquareMean = 0;
        tailSize = 0;
        exceedRate = 0;
        excessMean = 0;
        recomputeDerived();
    }

    /** Empties the open window; the next may start no earlier than {@code nextStart}. */
    void clearWindow(long nextStart) {
        windowStart = nextStart;
        windowEvents = 0;
        windowOutliers = 0;
        Arrays.fill(windowSum, 0f);
        windowDistanceSum = 0;
        windowDistanceSquareSum = 0;
        windowExceedances = 0;
        windowExcessSum = 0;
        if (windowFeatures != null) {
            Arrays.fill(windowFeatures, 0f);
            Arrays.fill(windowOutlierFeatures, 0f);
        }
        evidence.clear();
    }

    /** Recomputes the derived fields from the stored ones. */
    void recomputeDerived() {
        fastInverseNorm = 0;
        if (fastCentroid != null) {
            double squares = 0;
            for (float c : fastCentroid) {
                squares += (double) c * c;
            }
            fastInverseNorm = squares > 0 ? 1.0 / Math.sqrt(squares) : 0;
        }
        tailStart = DistanceTail.start(this);
        outlierThreshold = Double.POSITIVE_INFINITY;
        outlierThresholdRate = 0;
    }
}
