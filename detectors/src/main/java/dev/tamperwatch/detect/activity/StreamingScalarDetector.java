package dev.tamperwatch.detect.activity;

/**
 * Anomaly score in [0, 1] for each value of a univariate stream (a metric, not a count), from the
 * same baseline machinery as {@link ActivityRateDetector}: exponentially weighted levels with
 * learning rates {@code 1/n} up to a floor, bounded-influence learning and a tail test. O(1) time
 * per value and a fixed state ({@link ScalarState}, about 1.4 KB) per series.
 *
 * <p>Five stages, each a streaming statistic:
 *
 * <ol>
 *   <li><b>Prediction.</b> Two models predict the value: a plain one (a fast level) and a seasonal
 *       one (a slow deseasonalised level, a smooth hour-of-day {@link DailyProfile} and a fast
 *       local departure). The one with the smaller mean absolute residual so far is used, so the
 *       profile only matters on series that follow the time of day. Residuals are Laplace with
 *       scale {@code b}, the mean absolute residual, floored at {@code minRelativeScale} times the
 *       long-run mean absolute deviation; the raw score is {@code s / (s + rawHalfSurprise)} with
 *       the surprise {@code s = |r| / b = -ln p}.
 *   <li><b>Shape.</b> The fast local departure follows a pattern that stops (a day without its
 *       peak, a flat day) within hours, so a second surprise compares the value with the slow level
 *       and the profile alone: the shape prediction. Its scale is learned per hour of day (the
 *       residual at a daily step is larger than in a quiet hour), and an hour-of-week profile of
 *       what the daily one leaves is added when its residuals are smaller (history spans weeks and
 *       the week has a pattern). The surprise, clipped to {@code shapeClip} scales, is averaged
 *       over {@code shapeAveragingHalfLife}: one spike moves that average a little, a broken
 *       pattern moves it all the way.
 *   <li><b>Anomaly likelihood.</b> Each surprise stream is compared with its own long-run
 *       distribution ({@link SurpriseLikelihood}: a short average against the mean and variance
 *       over {@code distributionHalfLife}); each gives a Gaussian upper-tail probability {@code Q}
 *       on a log scale, {@code ln Q / ln 1e-10} clipped to [0, 1]. The smaller of the two tail
 *       probabilities is corrected for the choice (Šidák, two tests) and scored. This makes scores
 *       comparable across series with different noise and rewards a sustained change more than one
 *       noisy value.
 *   <li><b>Range.</b> A value beyond the range learned so far by more than {@code rangeTolerance}
 *       of its width, and at least {@code rawHalfSurprise} scales from the prediction, scores 1:
 *       the series has never been there.
 *   <li><b>Alert policy.</b> After a score, scores that do not exceed it are reported as 0 for the
 *       next {@code cooldown} observations: at any threshold one incident raises one alert, plus
 *       one for each escalation.
 * </ol>
 *
 * <p>Learning: every value is learned with its residual clipped to {@code learningClip} scales, so
 * one value moves the baseline by a bounded amount and a lasting level shift is absorbed gradually
 * (unlike the count detector, which does not learn anomalous windows at all: a metric series has no
 * external alert policy to resolve a permanent shift).
 */
public final class StreamingScalarDetector {

    private static final double LN2 = Math.log(2.0);

    /**
     * Values are learned clamped to this magnitude, which keeps every difference of learned
     * quantities finite; they are scored unclamped.
     */
    private static final double MAX_LEARNED = 1e300;

    /**
     * The shape scale at a time of day never falls below this fraction of its all-day value: a
     * quiet hour is measured on its own scale, but not as if it had no noise at all.
     */
    private static final double PHASE_SCALE_FLOOR = 0.25;

    /** Rate of the exponentially weighted sampling interval. */
    private static final double INTERVAL_RATE = 0.01;

    private final StreamingScalarConfig config;
    private final double fastRate;
    private final double slowRate;
    private final double scaleRate;
    private final double averagingRate;
    private final double distributionRate;
    private final double shapeAveragingRate;

    public StreamingScalarDetector(StreamingScalarConfig config) {
        this.config = config;
        this.fastRate = rate(config.fastHalfLife());
        this.slowRate = rate(config.slowHalfLife());
        this.scaleRate = rate(config.scaleHalfLife());
        this.averagingRate = rate(config.averagingHalfLife());
        this.distributionRate = rate(config.distributionHalfLife());
        this.shapeAveragingRate = rate(config.shapeAveragingHalfLife());
    }

    public StreamingScalarConfig config() {
        return config;
    }

    public ScalarState newState() {
        return new ScalarState();
    }

    /**
     * Scores {@code value} against the baseline, then learns it.
     *
     * @param timestamp time of the value, epoch milliseconds (UTC hour of day for the profile)
     * @return anomaly score in [0, 1]; 0 for the first {@code warmUp + likelihoodWarmUp} values
     * @throws IllegalArgumentException when {@code value} is NaN or infinite
     */
    public double score(ScalarState state, long timestamp, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "value must be finite, got " + value + " at " + timestamp);
        }
        long scored = state.observations - config.warmUp() + 1;
        double raw = scored > 0 ? rawScore(state, timestamp, value) : 0.0;
        double shapeRaw = scored > 0 ? shapeScore(state, timestamp, value) : 0.0;
        boolean outOfRange = raw >= 0.5 && outOfRange(state, value);
        learn(state, timestamp, Math.max(-MAX_LEARNED, Math.min(MAX_LEARNED, value)));
        if (scored <= 0) {
            return 0.0;
        }
        double point =
                state.pointLikelihood.score(
                        raw, scored, averagingRate, distributionRate, config.minRawDeviation());
        double shape =
                state.shapeLikelihood.score(
                        shapeRaw,
                        scored,
                        shapeAveragingRate,
                        distributionRate,
                        config.minRawDeviation());
        if (scored <= config.likelihoodWarmUp()) {
            return 0.0;
        }
        double likelihood = SurpriseLikelihood.sidak(Math.max(point, shape), 2);
        return alert(state, outOfRange ? 1.0 : likelihood);
    }

    /**
     * Surprise of {@code value} under the better of the two models, mapped to [0, 1), without
     * learning it.
     */
    double rawScore(ScalarState state, long timestamp, double value) {
        double surprise;
        if (state.seasonalScale < state.scale) {
            double predicted =
                    state.seasonalBase
                            + DailyProfile.at(state.profile, timestamp)
                            + state.seasonalLocal;
            surprise = Math.abs(value - predicted) / effectiveScale(state, state.seasonalScale);
        } else {
            surprise = Math.abs(value - state.fastLevel) / effectiveScale(state, state.scale);
        }
        // 1 - h / (s + h) rather than s / (s + h): stays 1 when s is infinite
        return 1.0 - config.rawHalfSurprise() / (surprise + config.rawHalfSurprise());
    }

    private boolean outOfRange(ScalarState state, double value) {
        double margin = config.rangeTolerance() * (state.max - state.min);
        return value > state.max + margin || value < state.min - margin;
    }

    /** Surprise of {@code value} under the seasonal model without its local term. */
    double shapeScore(ScalarState state, long timestamp, double value) {
        double predicted =
                state.seasonalBase
                        + (weeklyChosen(state)
                                ? DailyProfile.atWeek(state.weekly, timestamp)
                                : DailyProfile.at(state.profile, timestamp));
        double surprise = Math.abs(value - predicted) / shapeScaleAt(state, timestamp);
        return Math.min(surprise, config.shapeClip());
    }

    private double alert(ScalarState state, double score) {
        if (state.sinceIncidentPeak < config.cooldown() && score <= state.incidentPeak) {
            state.sinceIncidentPeak++;
            return 0.0;
        }
        state.incidentPeak = score;
        state.sinceIncidentPeak = 0;
        return score;
    }

    private void learn(ScalarState state, long timestamp, double value) {
        long n = ++state.observations;
        if (n == 1) {
            state.fastLevel = value;
            state.slowLevel = value;
            state.seasonalBase = value;
            state.min = value;
            state.max = value;
            state.lastTimestamp = timestamp;
            return;
        }
        long step = timestamp - state.lastTimestamp;
        state.lastTimestamp = timestamp;
        if (step > 0) {
            state.interval += (state.interval == 0 ? 1.0 : INTERVAL_RATE) * (step - state.interval);
        }
        state.min = Math.min(state.min, value);
        state.max = Math.max(state.max, value);
        learnPlain(state, n, value);
        learnSeasonal(state, n, timestamp, value);
    }

    private void learnPlain(ScalarState state, long n, double value) {
        double clipped = clip(value - state.fastLevel, effectiveScale(state, state.scale));
        state.scale += LearningRates.capped(n - 1, scaleRate) * (Math.abs(clipped) - state.scale);
        double learned = state.fastLevel + clipped;
        state.spread +=
                LearningRates.capped(n - 1, slowRate)
                        * (Math.abs(value - state.slowLevel) - state.spread);
        state.fastLevel += LearningRates.capped(n, fastRate) * (learned - state.fastLevel);
        state.slowLevel += LearningRates.capped(n, slowRate) * (learned - state.slowLevel);
    }

    /**
     * Additive decomposition {@code base + profile(t) + local}: the base is the slow level of the
     * deseasonalised values, the profile learns what the base leaves at each time of day (half-life
     * {@code seasonHalfLifeDays}, whatever the sampling interval), the local term follows the fast
     * departures from both.
     */
    private void learnSeasonal(ScalarState state, long n, long timestamp, double value) {
        double season = DailyProfile.at(state.profile, timestamp);
        double predicted = state.seasonalBase + season + state.seasonalLocal;
        double clipped = clip(value - predicted, effectiveScale(state, state.seasonalScale));
        double shapeScaleNow = shapeScaleAt(state, timestamp);
        double week = DailyProfile.atWeek(state.weekly, timestamp);
        boolean weekly = weeklyChosen(state);
        double dailyResidual = clip(value - state.seasonalBase - season, shapeScaleNow);
        double weeklyResidual = clip(value - state.seasonalBase - week, shapeScaleNow);
        double shapeAbs = Math.abs(weekly ? weeklyResidual : dailyResidual);
        state.shapeScale +=
                LearningRates.capped(n - 1, scaleRate)
                        * (Math.abs(dailyResidual) - state.shapeScale);
        state.weeklyShapeScale +=
                LearningRates.capped(n - 1, scaleRate)
                        * (Math.abs(weeklyResidual) - state.weeklyShapeScale);
        state.seasonalScale +=
                LearningRates.capped(n - 1, scaleRate) * (Math.abs(clipped) - state.seasonalScale);
        double learned = predicted + clipped;
        state.seasonalLocal +=
                LearningRates.capped(n, fastRate)
                        * (learned - state.seasonalBase - season - state.seasonalLocal);
        state.seasonalBase +=
                LearningRates.capped(n, slowRate) * (learned - season - state.seasonalBase);
        if (state.interval > 0) {
            double valuesPerBucket = DailyProfile.HOUR / state.interval;
            double floor = rate(Math.max(1.0, config.seasonHalfLifeDays() * valuesPerBucket));
            double visits = n / (double) DailyProfile.BUCKETS;
            double profileRate = Math.max(1.0 / Math.max(1.0, visits), floor);
            DailyProfile.learn(
                    state.profile, timestamp, learned - state.seasonalBase - season, profileRate);
            double weekFloor = rate(Math.max(1.0, config.seasonHalfLifeDays() * valuesPerBucket));
            double weekVisits = n / (double) DailyProfile.WEEK_BUCKETS;
            DailyProfile.learnWeek(
                    state.weekly,
                    timestamp,
                    value - state.seasonalBase - week,
                    Math.max(1.0 / Math.max(1.0, weekVisits), weekFloor));
            DailyProfile.learn(
                    state.shapeScaleProfile,
                    timestamp,
                    shapeAbs - DailyProfile.at(state.shapeScaleProfile, timestamp),
                    profileRate);
        }
    }

    private static boolean weeklyChosen(ScalarState state) {
        return state.weeklyShapeScale < state.shapeScale;
    }

    private double shapeScaleAt(ScalarState state, long timestamp) {
        double phased = DailyProfile.at(state.shapeScaleProfile, timestamp);
        return effectiveScale(state, Math.max(phased, PHASE_SCALE_FLOOR * state.shapeScale));
    }

    private double clip(double residual, double scale) {
        double limit = config.learningClip() * scale;
        return scale > Double.MIN_NORMAL ? Math.max(-limit, Math.min(limit, residual)) : residual;
    }

    private double effectiveScale(ScalarState state, double scale) {
        double floor = config.minRelativeScale() * state.spread;
        return Math.max(Math.max(scale, floor), Double.MIN_NORMAL);
    }

    private static double rate(double halfLife) {
        return -Math.expm1(-LN2 / halfLife);
    }
}
