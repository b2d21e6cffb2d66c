package dev.tamperwatch.detect.embedding;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.Score;
import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.detect.Severity;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.explain.Formats;
import dev.tamperwatch.detect.state.EventIds;
import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.window.TumblingWindows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntToDoubleFunction;

/**
 * Where one key's embeddings (an identity's prompts, an agent's or model's outputs) lie, against
 * its own baseline: per-event outliers, window-level distribution shift and slow drift.
 *
 * <p><b>Binding.</b> A state is bound at its first observation to that observation's embedding
 * model and dimension. An observation of another model or dimension, an empty or zero embedding, or
 * one with a NaN or infinite component is rejected with {@link IllegalArgumentException} before the
 * state is touched; so is a first observation of more than {@code maxDimension} dimensions.
 * Embeddings are L2-normalised; every baseline is a weighted mean of unit vectors.
 *
 * <p><b>Per-event outliers.</b> Each event's cosine distance to the fast centroid is scored against
 * the key's learned distance tail ({@link DistanceTail}: peaks over the 90th percentile with a
 * Lomax predictive). Once the tail rests on {@code warmUpEvents}, an event whose p-value is below
 * {@code eventFalseAlarmRate} is an outlier: it raises a finding at once (at most {@code
 * maxOutlierFindingsPerWindow} per window) and is never learned.
 *
 * <p><b>Distribution shift.</b> Once {@code warmUpEvents} have been learned, the kernel bandwidth
 * is set to {@code bandwidthScale} times the root-mean-square distance between two of the key's
 * embeddings, and each event is mapped to {@code features} random Fourier features ({@link
 * RandomFourierFeatures}, drawn from {@code seed} once per detector and dimension). When a window
 * of {@code n >= minWindowEvents} closes, the squared MMD between its mean feature vector (all its
 * events, outliers included) and the fast feature baseline is divided by its variance factor {@code
 * 1 / n + sum w^2} and scored against the key's own history of that statistic ({@link WindowNull});
 * a finding is raised when the p-value is below {@code windowFalseAlarmRate}.
 *
 * <p><b>Learning and poisoning resistance.</b> A window that raised a shift finding is not learned
 * at all; from any other window its non-outlier events are learned into the fast and slow
 * centroids, the fast and slow feature baselines, the distance model and, when scored, the
 * statistic's history. A baseline of size {@code B} learns a window of {@code m} events at rate
 * {@code m / (B + m)}, capped once warmed up at {@code maxLearningRate}; sizes are capped at {@code
 * fastBaselineEvents} and {@code slowBaselineEvents}. The slow baselines thus average every event
 * learned until they hold {@code slowBaselineEvents}; only then is their cap lowered to {@code
 * maxLearningRate * fastBaselineEvents / slowBaselineEvents}. Once the history is ready, a window
 * statistic is not learned while the drift test's p-value is below 1e-3 and no drift finding is
 * outstanding (the key is drifting, its windows are not null samples), and beyond the null's upper
 * 1e-3 quantile it is learned at that quantile, so a slow ramp cannot widen the null it is tested
 * against before the drift test has reported it.
 *
 * <p><b>Slow drift.</b> After each learned window, the squared MMD between the fast and the slow
 * feature baselines, divided by its variance factor {@code sum_t (w_fast(t) - w_slow(t))^2} (the
 * weights actually learned; the test runs once the fast baseline forgets, i.e. holds {@code
 * fastBaselineEvents}), is scored against the same null; below {@code driftFalseAlarmRate} it
 * raises a drift finding, once, until its p-value has risen back above the square root of that
 * rate. Topic drift slow enough that each window looks like the last is absorbed by the fast
 * baseline but not by the slow one.
 *
 * <p><b>Explanation.</b> Findings give observed against expected distance or MMD, the interval at
 * the threshold, the baseline sizes, and the embedding dimensions that moved most (largest {@code
 * |observed - expected|} components of the event or window mean against the fast centroid, or of
 * the fast against the slow centroid).
 *
 * <p><b>Cold start.</b> {@link #seedFromPeers} gives a new key its peer group's centroid and
 * distance tail at the warm-up's weight, so that its first events are scored for outlier distance
 * against its peers; its window tests start from its own windows.
 *
 * <p>Windows close when {@link #onTime} sees the watermark at or past their end, or at the first
 * event of a later window; events older than the open window count into it.
 */
public final class EmbeddingDriftDetector
        implements Detector<EmbeddingObservation, EmbeddingState> {

    public static final String NAME = "embedding-drift";
    public static final String VERSION = "1";

    /** Longest embedding model name accepted, in UTF-8 bytes. */
    public static final int MAX_MODEL_BYTES = 128;

    /** Largest embedding dimension any configuration accepts, and any stored state holds. */
    public static final int MAX_DIMENSION = 65_536;

    static final String DISTANCE_MEASURE = "embedding_cosine_distance";
    static final String SHIFT_MEASURE = "embedding_mmd2";
    static final String DRIFT_MEASURE = "embedding_drift_mmd2";

    /** Evidence tags are cosine distances in units of this. */
    static final double EVIDENCE_UNIT = 1e-6;

    private static final int EXPLAINED_DIMENSIONS = 5;

    /**
     * Upper-tail probability beyond which a window statistic is not learned as is into the null
     * history, and drift p-value below which the history is not learned at all.
     */
    static final double NULL_GUARD_RATE = 1e-3;

    private static final StateCodec<EmbeddingState> CODEC = new EmbeddingStateCodec();
    private static final IntToDoubleFunction BY_DISTANCE = tag -> tag;

    private final EmbeddingDriftConfig config;
    private final TumblingWindows windows;
    private final long featureFingerprint;
    private final ConcurrentHashMap<Integer, RandomFourierFeatures> featureMaps =
            new ConcurrentHashMap<>();
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    public EmbeddingDriftDetector(EmbeddingDriftConfig config) {
        this.config = config;
        this.windows = TumblingWindows.of(config.window());
        this.featureFingerprint = fingerprint(config);
    }

    public EmbeddingDriftConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public EmbeddingState newState() {
        return new EmbeddingState();
    }

    /**
     * Reports the p-value of every scored event's distance, and of the shift and drift tests of the
     * window it closes.
     *
     * @throws IllegalArgumentException when the embedding is missing, empty, zero, has a NaN or
     *     infinite component, or its model or dimension differs from the state's; the state is then
     *     left unchanged
     */
    @Override
    public List<Finding> onEvent(
            EmbeddingState state, EmbeddingObservation input, long eventTime, ScoreSink scores) {
        if (state.seededOnly() && ofAnotherModel(state, input)) {
            state.unseed();
        }
        validate(state, input, config.maxDimension());
        float[] x = input.embedding();
        int dimension = x.length;
        Workspace workspace = workspace(dimension);
        RandomFourierFeatures map = state.hasFeatures() ? workspace.map(this, dimension) : null;
        float[] centroid = state.bound() ? state.fastCentroid : null;
        double squares = scan(x, dimension, centroid, map, workspace);
        if (!(squares >= 1e-30 && squares <= 1e30)) {
            x = normaliseExactly(x, workspace);
            squares = scan(x, dimension, centroid, map, workspace);
        }
        float scale = (float) (1.0 / Math.sqrt(squares));
        if (!state.bound()) {
            state.bind(input.embeddingModel(), dimension);
            state.recomputeDerived();
        }
        checkFeatures(state);
        long start = windows.place(eventTime, state.windowStart);
        List<Finding> closed = List.of();
        if (state.hasOpenWindow() && start > state.windowStart) {
            closed = closeWindow(state, scores);
            workspace.dot = dot(x, state.fastCentroid, dimension);
            map = null;
        }
        if (!state.hasOpenWindow()) {
            state.windowStart = start;
        }
        if (!state.hasFeatures()) {
            map = null;
        } else if (map == null) {
            map = workspace.map(this, dimension);
            map.fold(x, workspace.folded);
        }
        Finding outlier =
                observe(state, x, scale, map, workspace, input.eventId(), eventTime, scores);
        if (outlier == null) {
            return closed;
        }
        if (closed.isEmpty()) {
            return List.of(outlier);
        }
        List<Finding> findings = new ArrayList<>(closed);
        findings.add(outlier);
        return findings;
    }

    /** Reports the p-values of the shift and drift tests of the window it closes. */
    @Override
    public List<Finding> onTime(EmbeddingState state, long watermark, ScoreSink scores) {
        if (state.hasOpenWindow() && watermark >= windows.endOf(state.windowStart)) {
            checkFeatures(state);
            return closeWindow(state, scores);
        }
        return List.of();
    }

    @Override
    public long nextDeadline(EmbeddingState state) {
        return state.hasOpenWindow() ? windows.endOf(state.windowStart) : Long.MAX_VALUE;
    }

    @Override
    public boolean isEmpty(EmbeddingState state) {
        return !state.bound();
    }

    @Override
    public StateCodec<EmbeddingState> codec() {
        return CODEC;
    }

    /** The random features this detector uses for embeddings of {@code dimension} dimensions. */
    RandomFourierFeatures featureMap(int dimension) {
        return featureMaps.computeIfAbsent(
                dimension,
                d ->
                        new RandomFourierFeatures(
                                d, config.sketchDimensions(), config.features(), config.seed()));
    }

    /**
     * Seeds a key without history from its peers' state when that is warm (its distance tail rests
     * on {@code warmUpEvents}): the key is bound to the peers' model and dimension and takes their
     * fast centroid and distance tail at the weight of the warm-up or less, so that its first
     * events are scored for outlier distance against its peers and its own windows soon outweigh
     * them. These are per-event statistics, so {@code members} changes nothing. The feature
     * baselines and the window null are not seeded: a member's mix of its group's topics differs
     * from the group's, which the group's null does not cover (seeded, they raised shift findings
     * at 18 times the configured rate in the statistical test), so the key learns them from its own
     * windows. Should its first embedding be of another model or dimension, the seed is dropped and
     * the key starts on its own.
     *
     * @throws IllegalArgumentException when {@code members} is below 1 or not finite
     */
    @Override
    public void seedFromPeers(EmbeddingState state, EmbeddingState peers, double members) {
        Detector.requireMembers(members);
        if (state.bound()
                || !peers.bound()
                || peers.dimension > config.maxDimension()
                || peers.tailSize < config.warmUpEvents()) {
            return;
        }
        state.seedFrom(peers, config.warmUpEvents());
    }

    // ---------------------------------------------------------------- validation

    /**
     * Whether the observation is an embedding that a fresh state would take, of another model or
     * dimension than the state's.
     */
    private boolean ofAnotherModel(EmbeddingState state, EmbeddingObservation input) {
        if (input == null || input.embedding() == null || input.embeddingModel() == null) {
            return false;
        }
        int length = input.embedding().length;
        return length > 0
                && length <= config.maxDimension()
                && (length != state.dimension || !input.embeddingModel().equals(state.model));
    }

    /**
     * Checks the observation's presence, model and dimension against the state, and a first
     * observation's dimension against {@code maxDimension}.
     */
    private static void validate(
            EmbeddingState state, EmbeddingObservation input, int maxDimension) {
        if (input == null || input.embedding() == null || input.embedding().length == 0) {
            throw new IllegalArgumentException("embedding is missing or empty");
        }
        float[] embedding = input.embedding();
        String model = input.embeddingModel();
        if (model == null) {
            throw new IllegalArgumentException("embedding model is missing");
        }
        if (state.bound()) {
            if (embedding.length != state.dimension || !model.equals(state.model)) {
                throw new IllegalArgumentException(
                        String.format(
                                Locale.ROOT,
                                "embedding of model '%s' with %d dimensions does not match this"
                                        + " key's baseline of model '%s' with %d dimensions",
                                model,
                                embedding.length,
                                state.model,
                                state.dimension));
            }
        } else {
            if (embedding.length > maxDimension) {
                throw new IllegalArgumentException(
                        "embedding has "
                                + embedding.length
                                + " dimensions, more than the configured maximum of "
                                + maxDimension);
            }
            if (model.getBytes(StandardCharsets.UTF_8).length > MAX_MODEL_BYTES) {
                throw new IllegalArgumentException(
                        "embedding model name longer than " + MAX_MODEL_BYTES + " bytes");
            }
        }
    }

    /**
     * One pass over a raw embedding: returns its sum of squares (in float, so NaN, infinite,
     * overflowing or vanishing when the embedding is unusable or extreme) and leaves in the
     * workspace its dot product with {@code centroid} (0 when null) and, when {@code map} is not
     * null, its fold.
     */
    private static double scan(
            float[] x, int n, float[] centroid, RandomFourierFeatures map, Workspace workspace) {
        float[] c = centroid == null ? workspace.zeros : centroid;
        float q0 = 0;
        float q1 = 0;
        float q2 = 0;
        float q3 = 0;
        float d0 = 0;
        float d1 = 0;
        float d2 = 0;
        float d3 = 0;
        if (map == null) {
            int i = 0;
            for (; i + 3 < n; i += 4) {
                float x0 = x[i];
                float x1 = x[i + 1];
                float x2 = x[i + 2];
                float x3 = x[i + 3];
                q0 += x0 * x0;
                q1 += x1 * x1;
                q2 += x2 * x2;
                q3 += x3 * x3;
                d0 += x0 * c[i];
                d1 += x1 * c[i + 1];
                d2 += x2 * c[i + 2];
                d3 += x3 * c[i + 3];
            }
            for (; i < n; i++) {
                q0 += x[i] * x[i];
                d0 += x[i] * c[i];
            }
        } else {
            float[] y = workspace.folded;
            float[] s = map.signs();
            int k = map.sketchDimensions();
            Arrays.fill(y, 0, k, 0f);
            for (int offset = 0; offset < n; offset += k) {
                int length = Math.min(k, n - offset);
                int b = 0;
                for (; b + 3 < length; b += 4) {
                    int i = offset + b;
                    float x0 = x[i];
                    float x1 = x[i + 1];
                    float x2 = x[i + 2];
                    float x3 = x[i + 3];
                    q0 += x0 * x0;
                    q1 += x1 * x1;
                    q2 += x2 * x2;
                    q3 += x3 * x3;
                    d0 += x0 * c[i];
                    d1 += x1 * c[i + 1];
                    d2 += x2 * c[i + 2];
                    d3 += x3 * c[i + 3];
                    y[b] += s[i] * x0;
                    y[b + 1] += s[i + 1] * x1;
                    y[b + 2] += s[i + 2] * x2;
                    y[b + 3] += s[i + 3] * x3;
                }
                for (; b < length; b++) {
                    int i = offset + b;
                    q0 += x[i] * x[i];
                    d0 += x[i] * c[i];
                    y[b] += s[i] * x[i];
                }
            }
        }
        workspace.dot = (d0 + d1) + (d2 + d3);
        return (q0 + q1) + (q2 + q3);
    }

    /**
     * The embedding scaled to unit length in double arithmetic, for embeddings whose float sum of
     * squares overflows or vanishes; rejects NaN, infinite and zero embeddings.
     */
    private static float[] normaliseExactly(float[] x, Workspace workspace) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException(
                        "embedding component "
                                + i
                                + " is "
                                + x[i]
                                + "; every component must be finite");
            }
            max = Math.max(max, Math.abs(x[i]));
        }
        if (max == 0) {
            throw new IllegalArgumentException("embedding is the zero vector: it has no direction");
        }
        double squares = 0;
        for (float v : x) {
            double scaled = v / max;
            squares += scaled * scaled;
        }
        double norm = Math.sqrt(squares);
        float[] unit = workspace.unit;
        for (int i = 0; i < x.length; i++) {
            unit[i] = (float) (x[i] / max / norm);
        }
        return unit;
    }

    // ---------------------------------------------------------------- per event

    /**
     * Scores and counts one event of the open window; returns its outlier finding, if any. The
     * event is {@code x * scale}; the workspace holds its raw dot product with the fast centroid
     * and, when {@code map} is not null, its fold.
     */
    private Finding observe(
            EmbeddingState state,
            float[] x,
            float scale,
            RandomFourierFeatures map,
            Workspace workspace,
            String eventId,
            long eventTime,
            ScoreSink scores) {
        int dimension = state.dimension;
        double distance = Double.NaN;
        if (state.fastSize > 0) {
            double cosine = workspace.dot * scale * state.fastInverseNorm;
            distance = Math.max(0.0, Math.min(2.0, 1.0 - cosine));
        }
        boolean outlier = false;
        if (distance == distance && state.tailSize >= config.warmUpEvents()) {
            outlier = distance > outlierThreshold(state);
            if (scores != ScoreSink.NONE) {
                scores.accept(
                        new Score(
                                NAME,
                                DISTANCE_MEASURE,
                                eventTime,
                                eventTime,
                                DistanceTail.pValue(state, distance),
                                config.eventFalseAlarmRate()));
            }
        }
        if (map != null) {
            map.map(workspace.folded, scale / state.bandwidth, workspace.features);
            add(state.windowFeatures, workspace.features, map.features());
            if (outlier) {
                add(state.windowOutlierFeatures, workspace.features, map.features());
            }
        }
        state.windowEvents++;
        if (outlier) {
            state.windowOutliers++;
        } else {
            addScaled(state.windowSum, x, scale, dimension);
            if (distance == distance) {
                state.windowDistanceSum += distance;
                state.windowDistanceSquareSum += distance * distance;
                if (distance > state.tailStart) {
                    state.windowExceedances++;
                    state.windowExcessSum += distance - state.tailStart;
                }
            }
        }
        if (state.evidence.size() < EvidenceSlots.CAPACITY || distance > state.tailStart) {
            int tag = distance == distance ? (int) Math.round(distance / EVIDENCE_UNIT) : 0;
            state.evidence.offer(eventId, tag, BY_DISTANCE);
        }
        if (outlier && state.windowOutliers <= config.maxOutlierFindingsPerWindow()) {
            return outlierFinding(state, x, scale, distance, eventId);
        }
        return null;
    }

    private double outlierThreshold(EmbeddingState state) {
        double rate = config.eventFalseAlarmRate();
        if (state.outlierThresholdRate != rate) {
            state.outlierThreshold = DistanceTail.threshold(state, rate);
            state.outlierThresholdRate = rate;
        }
        return state.outlierThreshold;
    }

    /** Dot product of the first {@code n} components of two vectors. */
    private static float dot(float[] a, float[] b, int n) {
        float d0 = 0;
        float d1 = 0;
        float d2 = 0;
        float d3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            d0 += a[i] * b[i];
            d1 += a[i + 1] * b[i + 1];
            d2 += a[i + 2] * b[i + 2];
            d3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            d0 += a[i] * b[i];
        }
        return (d0 + d1) + (d2 + d3);
    }

    private static void add(float[] sum, float[] values, int length) {
        for (int i = 0; i < length; i++) {
            sum[i] += values[i];
        }
    }

    private static void addScaled(float[] sum, float[] values, float scale, int length) {
        for (int i = 0; i < length; i++) {
            sum[i] += values[i] * scale;
        }
    }

    // ---------------------------------------------------------------- per window

    private List<Finding> closeWindow(EmbeddingState state, ScoreSink scores) {
        long start = state.windowStart;
        long end = windows.endOf(start);
        long events = state.windowEvents;
        long inliers = events - state.windowOutliers;
        int features = config.features();
        double statistic = Double.NaN;
        Finding shift = null;
        if (state.hasFeatures()
                && state.featureFastSize > 0
                && events >= config.minWindowEvents()) {
            double variance = 1.0 / events + state.featureFastSquares;
            double mmd2 =
                    featureDistance(
                            state.windowFeatures, 1.0 / events, state.featureFast, features);
            statistic = mmd2 / variance;
            if (WindowNull.ready(state, config.warmUpWindows())) {
                WindowNull.Fit fit = WindowNull.fit(state, features);
                double p = fit.pValue(statistic);
                double alpha = config.windowFalseAlarmRate();
                scores.accept(new Score(NAME, SHIFT_MEASURE, start, end, p, alpha));
                if (p < alpha) {
                    shift = shiftFinding(state, fit, mmd2, variance, p, start, end);
                }
            }
        }
        Finding drift = null;
        if (shift == null && inliers > 0) {
            learn(state, inliers);
            double driftP = Double.NaN;
            boolean reported = state.driftAlerted;
            if (state.hasFeatures()) {
                DriftTest test = driftTest(state, start, end, scores);
                drift = test.finding();
                driftP = test.p();
            }
            if (statistic == statistic && state.hasFeatures()) {
                learnNull(state, statistic, reported ? Double.NaN : driftP);
            }
        }
        state.clearWindow(end);
        state.recomputeDerived();
        if (shift != null) {
            return List.of(shift);
        }
        return drift == null ? List.of() : List.of(drift);
    }

    /**
     * Learns a window's statistic into the null history, unless the history is ready and either the
     * drift test's p-value is below {@link #NULL_GUARD_RATE} (the key is drifting, so its windows
     * are not exchangeable and their statistics are not null samples; NaN when untested or once the
     * drift has been reported) or the statistic lies beyond the null's upper {@link
     * #NULL_GUARD_RATE} quantile, where it is learned at that quantile. A slow ramp therefore
     * cannot inflate the null it is tested against before the drift test has reported it, while a
     * key whose null was fitted too narrow, or that keeps drifting after the report, still widens
     * it, a bounded step per window.
     */
    private void learnNull(EmbeddingState state, double statistic, double driftP) {
        if (WindowNull.ready(state, config.warmUpWindows())) {
            if (driftP < NULL_GUARD_RATE) {
                return;
            }
            WindowNull.Fit fit = WindowNull.fit(state, config.features());
            if (fit.pValue(statistic) < NULL_GUARD_RATE) {
                statistic = Math.min(statistic, fit.quantile(NULL_GUARD_RATE));
            }
        }
        WindowNull.learn(state, statistic, config.historyWindows());
    }

    /** Learning rate for a window of {@code events} into a baseline of {@code size} events. */
    private double rate(double size, long events, double maxRate) {
        if (!(size > 0)) {
            return 1.0;
        }
        double rate = events / (size + events);
        return size >= config.warmUpEvents() ? Math.min(rate, maxRate) : rate;
    }

    /**
     * Learning rate of a slow baseline of {@code size} events: a running average until it holds
     * {@code slowBaselineEvents}, so that it rests on every event learned (a window moving it by at
     * most {@code maxLearningRate}, as the fast baseline); only then capped at the slow rate.
     */
    private double slowRate(double size, long events) {
        return size >= config.slowBaselineEvents()
                ? rate(size, events, config.slowMaxLearningRate())
                : rate(size, events, config.maxLearningRate());
    }

    /** Learns the open window's non-outlier events into every baseline. */
    private void learn(EmbeddingState state, long inliers) {
        if (state.fastSize > 0) {
            learnDistances(state, inliers);
        }
        double fastRate = rate(state.fastSize, inliers, config.maxLearningRate());
        double slowRate = slowRate(state.slowSize, inliers);
        blend(state.fastCentroid, state.windowSum, null, 1.0 / inliers, fastRate);
        blend(state.slowCentroid, state.windowSum, null, 1.0 / inliers, slowRate);
        state.fastSquares = square(1 - fastRate) * state.fastSquares + square(fastRate) / inliers;
        state.fastSize = Math.min(state.fastSize + inliers, config.fastBaselineEvents());
        state.slowSize = Math.min(state.slowSize + inliers, config.slowBaselineEvents());
        if (state.hasFeatures()) {
            double fast = rate(state.featureFastSize, inliers, config.maxLearningRate());
            double slow = slowRate(state.featureSlowSize, inliers);
            blend(
                    state.featureFast,
                    state.windowFeatures,
                    state.windowOutlierFeatures,
                    1.0 / inliers,
                    fast);
            blend(
                    state.featureSlow,
                    state.windowFeatures,
                    state.windowOutlierFeatures,
                    1.0 / inliers,
                    slow);
            state.featureCross =
                    (1 - fast) * (1 - slow) * state.featureCross + fast * slow / inliers;
            state.featureFastSquares =
                    square(1 - fast) * state.featureFastSquares + square(fast) / inliers;
            state.featureSlowSquares =
                    square(1 - slow) * state.featureSlowSquares + square(slow) / inliers;
            state.featureFastSize =
                    Math.min(state.featureFastSize + inliers, config.fastBaselineEvents());
            state.featureSlowSize =
                    Math.min(state.featureSlowSize + inliers, config.slowBaselineEvents());
        } else if (state.fastSize >= config.warmUpEvents() && state.fastSquares < 0.5) {
            enableFeatures(state);
        }
    }

    /** Learns the window's distances, measured against the fast centroid it opened with. */
    private void learnDistances(EmbeddingState state, long inliers) {
        double perEvent = 1.0 / inliers;
        if (state.tailStart < Double.POSITIVE_INFINITY) {
            double tailRate = rate(state.tailSize, inliers, config.maxLearningRate());
            state.exceedRate =
                    (1 - tailRate) * state.exceedRate
                            + tailRate * state.windowExceedances * perEvent;
            state.excessMean =
                    (1 - tailRate) * state.excessMean + tailRate * state.windowExcessSum * perEvent;
            state.tailSize = Math.min(state.tailSize + inliers, config.fastBaselineEvents());
        }
        double rate = rate(state.distanceSize, inliers, config.maxLearningRate());
        state.distanceMean =
                (1 - rate) * state.distanceMean + rate * state.windowDistanceSum * perEvent;
        state.distanceSquareMean =
                (1 - rate) * state.distanceSquareMean
                        + rate * state.windowDistanceSquareSum * perEvent;
        state.distanceSize = Math.min(state.distanceSize + inliers, config.fastBaselineEvents());
    }

    /**
     * Sets the kernel bandwidth from the fast centroid: for unit vectors with mean {@code c}, the
     * mean squared distance between two of them is {@code 2 (1 - |c|^2)}, here corrected for the
     * centroid's own sampling noise.
     */
    private void enableFeatures(EmbeddingState state) {
        double squares = 0;
        for (float c : state.fastCentroid) {
            squares += (double) c * c;
        }
        double trace = Math.max(0.0, (1.0 - squares) / (1.0 - state.fastSquares));
        double bandwidth = config.bandwidthScale() * Math.sqrt(2.0 * trace);
        bandwidth = Math.max(1e-3, Math.min(2.0, bandwidth));
        state.enableFeatures((float) bandwidth, featureFingerprint, config.features());
    }

    /** Forgets feature baselines learned with other features than this detector's. */
    private void checkFeatures(EmbeddingState state) {
        if (state.hasFeatures()
                && (state.featureFingerprint != featureFingerprint
                        || state.featureFast.length != config.features())) {
            state.resetFeatures();
        }
    }

    /** A drift test's finding, if any, and its p-value (NaN when not tested). */
    private record DriftTest(Finding finding, double p) {
        static final DriftTest NONE = new DriftTest(null, Double.NaN);
    }

    private DriftTest driftTest(EmbeddingState state, long start, long end, ScoreSink scores) {
        if (!state.hasFeatures()
                || !(state.featureSlowSize > 0)
                || !WindowNull.ready(state, config.warmUpWindows())) {
            return DriftTest.NONE;
        }
        double variance =
                state.featureFastSquares + state.featureSlowSquares - 2 * state.featureCross;
        if (!(variance > 1e-12)) {
            return DriftTest.NONE;
        }
        int features = config.features();
        double mmd2 = featureDistance(state.featureFast, 1.0, state.featureSlow, features);
        WindowNull.Fit fit = WindowNull.fit(state, features);
        double p = fit.pValue(mmd2 / variance);
        double alpha = config.driftFalseAlarmRate();
        scores.accept(new Score(NAME, DRIFT_MEASURE, start, end, p, alpha));
        if (state.driftAlerted) {
            if (p >= Math.sqrt(alpha)) {
                state.driftAlerted = false;
            }
            return new DriftTest(null, p);
        }
        if (!(p < alpha)) {
            return new DriftTest(null, p);
        }
        state.driftAlerted = true;
        return new DriftTest(driftFinding(state, fit, mmd2, variance, p, start, end), p);
    }

    /** Squared MMD {@code (2 / D) |a * scale - b|^2} between two mean feature vectors. */
    private static double featureDistance(float[] a, double scale, float[] b, int features) {
        double sum = 0;
        for (int j = 0; j < features; j++) {
            double d = a[j] * scale - b[j];
            sum += d * d;
        }
        return 2.0 * sum / features;
    }

    /** {@code mean = (1 - rate) mean + rate (sum - minus) * scale}, element by element. */
    private static void blend(float[] mean, float[] sum, float[] minus, double scale, double rate) {
        double keep = 1.0 - rate;
        for (int i = 0; i < mean.length; i++) {
            double value = minus == null ? sum[i] : (double) sum[i] - minus[i];
            mean[i] = (float) (keep * mean[i] + rate * value * scale);
        }
    }

    private static double square(double value) {
        return value * value;
    }

    // ---------------------------------------------------------------- explanation

    private Finding outlierFinding(
            EmbeddingState state, float[] x, float scale, double distance, String eventId) {
        double alpha = config.eventFalseAlarmRate();
        double p = DistanceTail.pValue(state, distance);
        double threshold = outlierThreshold(state);
        double[] observed = new double[state.dimension];
        double[] expected = new double[state.dimension];
        for (int i = 0; i < state.dimension; i++) {
            observed[i] = x[i] * scale;
            expected[i] = state.fastCentroid[i] * state.fastInverseNorm;
        }
        List<Measure> measures = new ArrayList<>();
        measures.add(
                new Measure(
                        DISTANCE_MEASURE,
                        distance,
                        state.distanceMean,
                        0,
                        threshold,
                        state.distanceSize,
                        "cosine distance"));
        String dimensions = topDimensions(observed, expected, state.fastSize, measures);
        String summary =
                String.format(
                        Locale.ROOT,
                        "embedding %.3f cosine distance from the key's centroid vs expected %.3f"
                                + " (interval 0–%.3f, baseline %s events); %s",
                        distance,
                        state.distanceMean,
                        threshold,
                        Formats.count(state.distanceSize),
                        dimensions);
        return new Finding(
                NAME,
                VERSION,
                state.windowStart,
                windows.endOf(state.windowStart),
                p,
                alpha,
                Severity.fromPValue(p, alpha),
                summary,
                measures,
                EventIds.storable(eventId) ? List.of(eventId) : List.of());
    }

    private Finding shiftFinding(
            EmbeddingState state,
            WindowNull.Fit fit,
            double mmd2,
            double variance,
            double p,
            long start,
            long end) {
        double alpha = config.windowFalseAlarmRate();
        double expected = fit.mean() * variance;
        double upper = fit.quantile(alpha) * variance;
        long events = state.windowEvents;
        long inliers = events - state.windowOutliers;
        List<Measure> measures = new ArrayList<>();
        measures.add(
                new Measure(
                        SHIFT_MEASURE,
                        mmd2,
                        expected,
                        0,
                        upper,
                        state.featureFastSize,
                        "squared MMD"));
        measures.add(
                new Measure(
                        "outlier_events",
                        state.windowOutliers,
                        events * config.eventFalseAlarmRate(),
                        Double.NaN,
                        Double.NaN,
                        state.tailSize,
                        "count"));
        String moved = "";
        if (inliers > 0) {
            double[] mean = new double[state.dimension];
            double[] centroid = new double[state.dimension];
            for (int i = 0; i < state.dimension; i++) {
                mean[i] = (double) state.windowSum[i] / inliers;
                centroid[i] = state.fastCentroid[i];
            }
            moved =
                    String.format(
                            Locale.ROOT,
                            "; non-outlier mean %.3f cosine distance from the centroid; %s",
                            1 - cosine(mean, centroid),
                            topDimensions(mean, centroid, state.fastSize, measures));
        }
        String summary =
                String.format(
                        Locale.ROOT,
                        "embedding distribution shifted: RFF-MMD² %s in %s window of %d events vs"
                                + " expected %s (interval 0–%s, baseline %s events), %d outliers%s",
                        Formats.probability(mmd2),
                        windows.label(),
                        events,
                        Formats.probability(expected),
                        Formats.probability(upper),
                        Formats.count(state.featureFastSize),
                        state.windowOutliers,
                        moved);
        return new Finding(
                NAME,
                VERSION,
                start,
                end,
                p,
                alpha,
                Severity.fromPValue(p, alpha),
                summary,
                measures,
                state.evidence.ids(tag -> true));
    }

    private Finding driftFinding(
            EmbeddingState state,
            WindowNull.Fit fit,
            double mmd2,
            double variance,
            double p,
            long start,
            long end) {
        double alpha = config.driftFalseAlarmRate();
        double expected = fit.mean() * variance;
        double upper = fit.quantile(alpha) * variance;
        double[] fast = new double[state.dimension];
        double[] slow = new double[state.dimension];
        for (int i = 0; i < state.dimension; i++) {
            fast[i] = state.fastCentroid[i];
            slow[i] = state.slowCentroid[i];
        }
        double apart = 1 - cosine(fast, slow);
        List<Measure> measures = new ArrayList<>();
        measures.add(
                new Measure(
                        DRIFT_MEASURE,
                        mmd2,
                        expected,
                        0,
                        upper,
                        state.featureSlowSize,
                        "squared MMD"));
        measures.add(
                new Measure(
                        "fast_slow_cosine_distance",
                        apart,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        state.slowSize,
                        "cosine distance"));
        String dimensions = topDimensions(fast, slow, state.slowSize, measures);
        String summary =
                String.format(
                        Locale.ROOT,
                        "slow embedding drift: fast baseline %s cosine distance from the slow"
                                + " baseline, RFF-MMD² %s vs expected %s (interval 0–%s, baselines"
                                + " %s and %s events); %s",
                        Formats.probability(apart),
                        Formats.probability(mmd2),
                        Formats.probability(expected),
                        Formats.probability(upper),
                        Formats.count(state.fastSize),
                        Formats.count(state.slowSize),
                        dimensions);
        return new Finding(
                NAME,
                VERSION,
                start,
                end,
                p,
                alpha,
                Severity.fromPValue(p, alpha),
                summary,
                measures,
                List.of());
    }

    /**
     * Adds a measure per dimension with the largest {@code |observed - expected|}, most first, and
     * returns them as text, e.g. {@code top dimensions 17 (+0.214), 203 (-0.181)}.
     */
    private static String topDimensions(
            double[] observed, double[] expected, double baselineSize, List<Measure> measures) {
        int count = Math.min(EXPLAINED_DIMENSIONS, observed.length);
        int[] top = new int[count];
        double[] magnitude = new double[count];
        int found = 0;
        for (int i = 0; i < observed.length; i++) {
            double m = Math.abs(observed[i] - expected[i]);
            if (found < count || m > magnitude[found - 1]) {
                int at = found < count ? found++ : count - 1;
                while (at > 0 && magnitude[at - 1] < m) {
                    top[at] = top[at - 1];
                    magnitude[at] = magnitude[at - 1];
                    at--;
                }
                top[at] = i;
                magnitude[at] = m;
            }
        }
        StringBuilder text = new StringBuilder("top dimensions");
        for (int k = 0; k < found; k++) {
            int i = top[k];
            measures.add(
                    new Measure(
                            "dim:" + i,
                            observed[i],
                            expected[i],
                            Double.NaN,
                            Double.NaN,
                            baselineSize,
                            "component"));
            text.append(k == 0 ? " " : ", ")
                    .append(i)
                    .append(String.format(Locale.ROOT, " (%+.3f)", observed[i] - expected[i]));
        }
        return text.toString();
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0.0;
    }

    // ---------------------------------------------------------------- plumbing

    private Workspace workspace(int dimension) {
        Workspace workspace = workspaces.get();
        workspace.ensure(dimension, config.sketchDimensions(), config.features());
        return workspace;
    }

    /** Fingerprint of everything the random features depend on besides the dimension. */
    private static long fingerprint(EmbeddingDriftConfig config) {
        long h = config.seed() ^ 0x9E3779B97F4A7C15L;
        h = (h ^ config.features()) * 0xBF58476D1CE4E5B9L;
        h = (h ^ config.sketchDimensions()) * 0x94D049BB133111EBL;
        h = (h ^ VERSION.hashCode()) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }

    /** Scratch arrays of one thread, reused across calls. */
    private static final class Workspace {
        float[] unit = new float[0];
        float[] zeros = new float[0];
        float[] folded = new float[0];
        float[] features = new float[0];

        /** Dot product of the last scanned embedding with the fast centroid. */
        float dot;

        private RandomFourierFeatures map;

        void ensure(int dimension, int sketch, int featureCount) {
            if (unit.length < dimension) {
                unit = new float[dimension];
                zeros = new float[dimension];
            }
            if (folded.length < sketch) {
                folded = new float[sketch];
            }
            if (features.length < featureCount) {
                features = new float[featureCount];
            }
        }

        RandomFourierFeatures map(EmbeddingDriftDetector detector, int dimension) {
            if (map == null || map.dimension() != dimension) {
                map = detector.featureMap(dimension);
            }
            return map;
        }
    }
}
