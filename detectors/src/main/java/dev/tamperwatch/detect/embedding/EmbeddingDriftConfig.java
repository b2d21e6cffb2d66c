package dev.tamperwatch.detect.embedding;

import java.time.Duration;

/**
 * Settings of {@link EmbeddingDriftDetector}.
 *
 * @param window length of the tumbling event-time windows, aligned to multiples since the epoch
 * @param eventFalseAlarmRate probability that one event of a key whose embeddings have not changed
 *     is flagged as an outlier; in (0, 1)
 * @param windowFalseAlarmRate probability, per key and window, that the distribution-shift test
 *     fires on a key whose embeddings have not changed; in (0, 1)
 * @param driftFalseAlarmRate probability, per key and window, that the fast-versus-slow drift test
 *     fires on a key whose embeddings have not changed; in (0, 1)
 * @param warmUpEvents effective events the baseline must rest on before events are scored; also the
 *     events from which the kernel bandwidth is set; at least 2
 * @param minWindowEvents fewest events a window needs for the distribution-shift test, at least 1
 * @param warmUpWindows windows of at least {@code minWindowEvents} the null distribution of the
 *     window statistic must rest on before the shift and drift tests run; at least 2
 * @param fastBaselineEvents cap on the fast baseline's effective events: its memory
 * @param slowBaselineEvents cap on the slow baseline's effective events, at least {@code
 *     fastBaselineEvents}: the long horizon slow drift is measured against
 * @param maxLearningRate largest share by which one window may move the fast baseline once warmed
 *     up, in (0, 1]; also the slow baseline's cap until it holds {@code slowBaselineEvents}, then
 *     this times {@code fastBaselineEvents / slowBaselineEvents}
 * @param historyWindows cap on the effective windows of the window statistic's null distribution
 * @param features number of random Fourier features {@code D} of the distribution-shift test
 * @param sketchDimensions dimensions embeddings are folded to before the features are computed
 * @param seed seed of the random features; part of the model: changing it makes every key relearn
 *     its feature baselines
 * @param bandwidthScale kernel bandwidth as a multiple of the root-mean-square distance between two
 *     of the key's embeddings, measured once at warm-up; positive
 * @param maxOutlierFindingsPerWindow most per-event outlier findings raised in one window; further
 *     outliers are only counted and shown in the window's findings
 * @param maxDimension largest embedding dimension a key accepts, in [1, {@value
 *     EmbeddingDriftDetector#MAX_DIMENSION}]: it bounds the state, which holds three vectors of the
 *     dimension (12 bytes a dimension). A larger embedding is rejected with {@link
 *     IllegalArgumentException} before it touches the state, as an embedding of another model is.
 *     It is not folded to fit: a fold would only approximate the model's geometry, and a state
 *     bound to a fold could no longer tell embeddings of different dimensions apart.
 */
public record EmbeddingDriftConfig(
        Duration window,
        double eventFalseAlarmRate,
        double windowFalseAlarmRate,
        double driftFalseAlarmRate,
        long warmUpEvents,
        long minWindowEvents,
        int warmUpWindows,
        double fastBaselineEvents,
        double slowBaselineEvents,
        double maxLearningRate,
        double historyWindows,
        int features,
        int sketchDimensions,
        long seed,
        double bandwidthScale,
        int maxOutlierFindingsPerWindow,
        int maxDimension) {

    /** Largest number of features or sketch dimensions accepted. */
    public static final int MAX_FEATURES = 4096;

    public EmbeddingDriftConfig {
        if (window == null || window.toMillis() <= 0) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        requireOpenUnit("eventFalseAlarmRate", eventFalseAlarmRate);
        requireOpenUnit("windowFalseAlarmRate", windowFalseAlarmRate);
        requireOpenUnit("driftFalseAlarmRate", driftFalseAlarmRate);
        if (warmUpEvents < 2 || minWindowEvents < 1 || warmUpWindows < 2) {
            throw new IllegalArgumentException(
                    "warmUpEvents and warmUpWindows must be at least 2, minWindowEvents at least 1");
        }
        if (!(fastBaselineEvents >= warmUpEvents)
                || !(slowBaselineEvents >= fastBaselineEvents)
                || Double.isInfinite(slowBaselineEvents)) {
            throw new IllegalArgumentException(
                    "need warmUpEvents <= fastBaselineEvents <= slowBaselineEvents < infinity: "
                            + fastBaselineEvents
                            + ", "
                            + slowBaselineEvents);
        }
        if (!(maxLearningRate > 0 && maxLearningRate <= 1)) {
            throw new IllegalArgumentException(
                    "maxLearningRate must lie in (0, 1]: " + maxLearningRate);
        }
        if (!(historyWindows >= warmUpWindows) || Double.isInfinite(historyWindows)) {
            throw new IllegalArgumentException(
                    "historyWindows must be finite and at least warmUpWindows: " + historyWindows);
        }
        if (features < 1
                || features > MAX_FEATURES
                || sketchDimensions < 1
                || sketchDimensions > MAX_FEATURES) {
            throw new IllegalArgumentException(
                    "features and sketchDimensions must lie in [1, "
                            + MAX_FEATURES
                            + "]: "
                            + features
                            + ", "
                            + sketchDimensions);
        }
        if (!(bandwidthScale > 0) || Double.isInfinite(bandwidthScale)) {
            throw new IllegalArgumentException(
                    "bandwidthScale must be positive: " + bandwidthScale);
        }
        if (maxOutlierFindingsPerWindow < 0) {
            throw new IllegalArgumentException("maxOutlierFindingsPerWindow must be >= 0");
        }
        if (maxDimension < 1 || maxDimension > EmbeddingDriftDetector.MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "maxDimension must lie in [1, "
                            + EmbeddingDriftDetector.MAX_DIMENSION
                            + "]: "
                            + maxDimension);
        }
    }

    /**
     * One-hour windows; false alarms 1e-4 per event, 1e-5 per key-window for the shift and for the
     * drift test; scoring from 200 events and 20 windows of at least 20 events; fast baseline 2000
     * events, slow 50,000, at most 10% learned per window; null history of 200 windows; 128 random
     * Fourier features on embeddings folded to 48 dimensions; bandwidth the root-mean-square
     * distance; at most 8 outlier findings per window; embeddings of at most 4096 dimensions (a
     * state of about 50 KB at most).
     */
    public static EmbeddingDriftConfig defaults() {
        return new EmbeddingDriftConfig(
                Duration.ofHours(1),
                1e-4,
                1e-5,
                1e-5,
                200,
                20,
                20,
                2000,
                50_000,
                0.1,
                200,
                128,
                48,
                0x5EED_E3BE_DD16_0001L,
                1.0,
                8,
                4096);
    }

    /** The same settings with other false-alarm rates for events, window shifts and drift. */
    public EmbeddingDriftConfig withFalseAlarmRates(double event, double shift, double drift) {
        return new EmbeddingDriftConfig(
                window,
                event,
                shift,
                drift,
                warmUpEvents,
                minWindowEvents,
                warmUpWindows,
                fastBaselineEvents,
                slowBaselineEvents,
                maxLearningRate,
                historyWindows,
                features,
                sketchDimensions,
                seed,
                bandwidthScale,
                maxOutlierFindingsPerWindow,
                maxDimension);
    }

    /** The same settings with another number of random features and sketch dimensions. */
    public EmbeddingDriftConfig withFeatures(int featureCount, int sketch) {
        return new EmbeddingDriftConfig(
                window,
                eventFalseAlarmRate,
                windowFalseAlarmRate,
                driftFalseAlarmRate,
                warmUpEvents,
                minWindowEvents,
                warmUpWindows,
                fastBaselineEvents,
                slowBaselineEvents,
                maxLearningRate,
                historyWindows,
                featureCount,
                sketch,
                seed,
                bandwidthScale,
                maxOutlierFindingsPerWindow,
                maxDimension);
    }

    /** The same settings with another largest embedding dimension. */
    public EmbeddingDriftConfig withMaxDimension(int dimensions) {
        return new EmbeddingDriftConfig(
                window,
                eventFalseAlarmRate,
                windowFalseAlarmRate,
                driftFalseAlarmRate,
                warmUpEvents,
                minWindowEvents,
                warmUpWindows,
                fastBaselineEvents,
                slowBaselineEvents,
                maxLearningRate,
                historyWindows,
                features,
                sketchDimensions,
                seed,
                bandwidthScale,
                maxOutlierFindingsPerWindow,
                dimensions);
    }

    /** Learning-rate cap of the slow baseline once it holds {@code slowBaselineEvents}. */
    double slowMaxLearningRate() {
        return maxLearningRate * fastBaselineEvents / slowBaselineEvents;
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must lie in (0, 1): " + value);
        }
    }
}
