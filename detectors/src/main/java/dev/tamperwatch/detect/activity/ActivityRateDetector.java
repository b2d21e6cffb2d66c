package dev.tamperwatch.detect.activity;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.Score;
import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.detect.Severity;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.explain.Formats;
import dev.tamperwatch.detect.window.TumblingWindows;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.special.Erf;

/**
 * Event count of one key (identity or agent) per tumbling window against its own seasonal-aware
 * baseline.
 *
 * <p>Model: the count of a window is negative binomial (Poisson when not overdispersed) with mean
 * {@code level * factor}. The level is a deseasonalized exponentially weighted count per window;
 * the factor comes from one of three expectation models — none (1), an hour-of-day profile or an
 * hour-of-week profile, each factor normalized to mean 1. A seasonal model is eligible once its
 * bucket has {@code minBucketVisits} windows of history (a day of week {@code minProfileWeeks});
 * among the eligible ones the model with the smallest weighted mean squared residual is used, so
 * short history falls back to the non-seasonal level. Each model's dispersion is estimated by
 * moments from the weighted averages of its squared residuals and expectations: {@code max(0, (E[(x
 * - mu)^2] - E[mu]) / E[mu^2])}.
 *
 * <p>Scoring: once the baseline has learned {@code warmUpWindows} windows, every closed window —
 * empty ones included — is tested: P(X &ge; x) (a burst), and with {@code lowerTail} also P(X &le;
 * x) (silence) with the false-alarm rate split between the tails. A finding is raised when the
 * p-value is below {@code falseAlarmRate}.
 *
 * <p>Poisoning resistance: a window that is anomalous in either tail is not learned into the levels
 * and residuals (a silence is not, even when the lower tail is not reported; it only enters the
 * seasonal profiles, so that regularly quiet hours are learned while the level is not dragged
 * down); learning rates are {@code 1/n} up to a floor set by the half-lives, and a learned count is
 * clipped to {@code learningClip} standard deviations above its expectation. Beside the fast level
 * (half-life {@code fastHalfLife}) a slow one ({@code slowHalfLife}) is kept: when the fast level
 * exceeds the slow one by more than the larger of {@code z * sd} (sd of the difference of the two
 * averages under the model's residual variance, z at {@code driftFalseAlarmRate}) and {@code
 * (minDriftRatio - 1) * slow} for {@code driftWindows} consecutive learned windows, a slow-drift
 * finding is raised once per run.
 *
 * <p>Scores: every scored window reports {@code events}, its p-value against {@code
 * falseAlarmRate}; every learned window past the drift warm-up reports {@code level}, the one-sided
 * normal p-value of the fast level's distance from the slow one in {@code sd}s (either direction
 * with {@code lowerTail}), against {@code driftFalseAlarmRate} — a finding further needs the
 * distance beyond the minimum drift ratio for {@code driftWindows} windows in a row.
 *
 * <p>Cold start: {@link #seedFromPeers} gives a key without history its peer group's baseline at a
 * member's scale, counted as the warm-up, so that its windows are scored from the first. The level,
 * the mean expectations and the group's excess squared residuals are scaled to one member (by the
 * members, squared for second moments), so each model keeps the group's dispersion, and {@link
 * #PEER_DISPERSION} is added to it for how far one member's rate may lie from the mean member's;
 * the residuals rest on the windows of a warm-up that ends. The seasonal factors are the group's,
 * with as many visits as eligibility needs. The key's own windows then replace the seeded
 * statistics at the rates of a key leaving its warm-up: the residuals within about half a warm-up,
 * the fast level within a fast half-life.
 *
 * <p>Windows: a window closes when {@link #onTime} sees the watermark at or past its end, or when
 * an event of a later window arrives; events older than the open window count into it. While a key
 * is active, empty windows close too; after {@code idleSpan} without an event the key goes quiet
 * ({@link #nextDeadline} returns {@link Long#MAX_VALUE}) until its next event, and the quiet gap is
 * not learned.
 */
public final class ActivityRateDetector implements Detector<ActivityObservation, ActivityState> {

    public static final String NAME = "activity-rate";
    public static final String VERSION = "1";

    /**
     * Dispersion a seeded key's counts are given at least around its peers' mean member rate: the
     * member's own rate taken as Gamma-distributed with shape 2 about it, so that a member steadily
     * up to about seven times as active as the mean is not flagged for that at 1e-5.
     */
    static final double PEER_DISPERSION = 0.5;

    /** Smallest expected count a window is scored against. */
    static final double MIN_EXPECTED = 1e-6;

    private static final StateCodec<ActivityState> CODEC = new ActivityStateCodec();
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final long WEEK = 7 * DAY;

    private final ActivityRateConfig config;
    private final TumblingWindows windows;
    private final SeasonalClock clock;
    private final double fastRate;
    private final double slowRate;
    private final double dispersionRate;
    private final double dailyRate;
    private final double weeklyRate;
    private final double dayOfWeekRate;
    private final int dayOfWeekVisitCap;
    private final int bucketVisitsNeeded;
    private final int dayOfWeekVisitsNeeded;
    private final int dailyVisitCap;
    private final int weeklyVisitCap;
    private final long errorStart;
    private final long driftWarmUpWindows;
    private final double driftZ;

    public ActivityRateDetector(ActivityRateConfig config) {
        this.config = config;
        this.windows = TumblingWindows.of(config.window());
        this.clock = new SeasonalClock(config.seasonalOffset());
        double step = windows.sizeMillis();
        this.fastRate = LearningRates.perStep(step, config.fastHalfLife());
        this.slowRate = LearningRates.perStep(step, config.slowHalfLife());
        this.dispersionRate = LearningRates.perStep(step, config.dispersionHalfLife());
        double visitsPerHour = Math.max(1.0, (double) HOUR / step);
        this.dailyRate = LearningRates.perStep(DAY / visitsPerHour, config.profileHalfLife());
        this.weeklyRate = LearningRates.perStep(WEEK / visitsPerHour, config.profileHalfLife());
        this.dayOfWeekRate =
                LearningRates.perStep(
                        WEEK / (visitsPerHour * SeasonalClock.HOURS_PER_DAY),
                        config.profileHalfLife());
        this.bucketVisitsNeeded = (int) Math.ceil(config.minBucketVisits() * visitsPerHour);
        this.dayOfWeekVisitsNeeded =
                (int)
                        Math.ceil(
                                config.minProfileWeeks()
                                        * visitsPerHour
                                        * SeasonalClock.HOURS_PER_DAY);
        this.dailyVisitCap = Math.max(bucketVisitsNeeded, (int) Math.ceil(1.0 / dailyRate) + 1);
        this.weeklyVisitCap = Math.max(bucketVisitsNeeded, (int) Math.ceil(1.0 / weeklyRate) + 1);
        this.dayOfWeekVisitCap =
                Math.max(dayOfWeekVisitsNeeded, (int) Math.ceil(1.0 / dayOfWeekRate) + 1);
        this.errorStart = config.warmUpWindows() / 2;
        this.driftWarmUpWindows =
                Math.max(
                        config.warmUpWindows(),
                        config.driftWarmUp().toMillis() / windows.sizeMillis());
        this.driftZ = upperNormalQuantile(config.driftFalseAlarmRate());
    }

    public ActivityRateConfig config() {
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
    public ActivityState newState() {
        return new ActivityState();
    }

    /**
     * Seeds a key without history from a warm peer group's state (see the class description);
     * otherwise leaves it as it is.
     *
     * @throws IllegalArgumentException when {@code members} is below 1 or not finite
     */
    @Override
    public void seedFromPeers(ActivityState state, ActivityState peers, double members) {
        Detector.requireMembers(members);
        if (state.learnedWindows > 0
                || state.active
                || peers.learnedWindows < config.warmUpWindows()) {
            return;
        }
        state.learnedWindows = config.warmUpWindows();
        state.fastSum = peers.fastSum / members;
        state.fastWeight = peers.fastWeight;
        state.slowSum = peers.slowSum / members;
        state.slowWeight = peers.slowWeight;
        int residualWindows = (int) (config.warmUpWindows() - errorStart);
        for (int m = 0; m < ActivityState.MODELS; m++) {
            double expected = peers.meanExpected[m] / members;
            double squaredExpected = peers.meanSquaredExpected[m] / (members * members);
            double excess = peers.squaredError[m] - peers.meanExpected[m];
            double squared =
                    expected
                            + Math.max(0.0, excess) / (members * members)
                            + PEER_DISPERSION * squaredExpected;
            state.errorCount[m] = Math.min(peers.errorCount[m], residualWindows);
            state.squaredError[m] = (float) squared;
            state.fourthPowerError[m] = (float) Math.min(Float.MAX_VALUE, squared * squared);
            state.meanExpected[m] = (float) expected;
            state.meanSquaredExpected[m] = (float) squaredExpected;
        }
        seedProfiles(state, peers, members);
    }

    /** Copies the peers' seasonal factors, with at most the visits eligibility needs. */
    private void seedProfiles(ActivityState state, ActivityState peers, double members) {
        for (int h = 0; h < SeasonalClock.HOURS_PER_DAY; h++) {
            state.dailyCodes[h] = peers.dailyCodes[h];
            state.dailyVisits[h] = Math.min(peers.dailyVisits[h], bucketVisitsNeeded);
        }
        for (int d = 0; d < ActivityState.DAYS_PER_WEEK; d++) {
            state.dayOfWeekSum[d] = (float) (peers.dayOfWeekSum[d] / members);
            state.dayOfWeekWeight[d] = (float) (peers.dayOfWeekWeight[d] / members);
            state.dayOfWeekVisits[d] = Math.min(peers.dayOfWeekVisits[d], dayOfWeekVisitsNeeded);
        }
        for (int h = 0; h < SeasonalClock.HOURS_PER_WEEK; h++) {
            state.weeklyCodes[h] = peers.weeklyCodes[h];
            state.weeklyVisits[h] = Math.min(peers.weeklyVisits[h], bucketVisitsNeeded);
        }
    }

    /** Reports the scores of the windows the event closes. */
    @Override
    public List<Finding> onEvent(
            ActivityState state, ActivityObservation input, long eventTime, ScoreSink scores) {
        List<Finding> findings = new ArrayList<>(0);
        long start = windows.startOf(eventTime);
        if (state.active) {
            start = windows.place(eventTime, state.windowStart);
            while (state.active && start > state.windowStart) {
                closeWindow(state, findings, scores);
            }
        }
        if (!state.active) {
            wake(state, start);
        }
        state.windowCount++;
        state.lastEventWindow = state.windowStart;
        state.evidence.offer(input.eventId(), 0, tag -> 0);
        return findings;
    }

    /**
     * Reports the scores of the windows it closes: {@code events} for the window test, once warm,
     * and {@code level} for the slow-drift test, once past its warm-up.
     */
    @Override
    public List<Finding> onTime(ActivityState state, long watermark, ScoreSink scores) {
        List<Finding> findings = new ArrayList<>(0);
        while (state.active && watermark >= windows.endOf(state.windowStart)) {
            closeWindow(state, findings, scores);
        }
        return findings;
    }

    @Override
    public long nextDeadline(ActivityState state) {
        return state.active ? windows.endOf(state.windowStart) : Long.MAX_VALUE;
    }

    /** A quiet key whose baseline never finished warming up holds nothing worth keeping. */
    @Override
    public boolean isEmpty(ActivityState state) {
        return !state.active && state.learnedWindows < config.warmUpWindows();
    }

    @Override
    public StateCodec<ActivityState> codec() {
        return CODEC;
    }

    /** Expected count of a window of a key with this state, or NaN before anything was learned. */
    public double expectedCount(ActivityState state, long windowStart) {
        if (state.learnedWindows == 0) {
            return Double.NaN;
        }
        return predict(state, windowStart).mean;
    }

    private void wake(ActivityState state, long start) {
        state.windowStart =
                state.windowStart == Long.MIN_VALUE ? start : Math.max(start, state.windowStart);
        state.windowCount = 0;
        state.evidence.clear();
        state.active = true;
        state.driftRun = 0;
        state.driftReported = false;
    }

    /** What the baseline expects of one window. */
    static final class Prediction {
        final double level;
        final double[] expected = new double[ActivityState.MODELS];
        int model;
        int bucket;
        boolean[] eligible;
        double mean;
        double dispersion;
        NegativeBinomial distribution;

        Prediction(double level) {
            this.level = level;
        }

        double variance() {
            return distribution.variance();
        }
    }

    Prediction predict(ActivityState state, long start) {
        int hour = clock.hourOfDay(start);
        int hourOfWeek = clock.hourOfWeek(start);
        int day = hourOfWeek / SeasonalClock.HOURS_PER_DAY;
        Prediction p = new Prediction(state.fastLevel());
        double hourly = p.level * state.dailyFactor(hour);
        p.expected[ActivityState.LEVEL] = p.level;
        p.expected[ActivityState.HOUR_OF_DAY] = hourly;
        p.expected[ActivityState.DAY_OF_WEEK] = hourly * state.dayOfWeekFactor(day);
        p.expected[ActivityState.HOUR_OF_WEEK] = p.level * state.weeklyFactor(hourOfWeek);
        boolean[] eligible = {
            true,
            state.dailyVisits[hour] >= bucketVisitsNeeded,
            state.dailyVisits[hour] >= bucketVisitsNeeded
                    && state.dayOfWeekVisits[day] >= dayOfWeekVisitsNeeded,
            state.weeklyVisits[hourOfWeek] >= bucketVisitsNeeded
        };
        p.eligible = eligible;
        p.model = ActivityState.LEVEL;
        double best = upperSquaredError(state, ActivityState.LEVEL);
        for (int m = 1; m < ActivityState.MODELS; m++) {
            if (eligible[m] && state.errorCount[m] >= errorStart) {
                double candidate = upperSquaredError(state, m);
                if (candidate < best) {
                    p.model = m;
                    best = candidate;
                }
            }
        }
        p.bucket = p.model == ActivityState.HOUR_OF_DAY ? hour : hourOfWeek;
        p.mean = Math.max(MIN_EXPECTED, p.expected[p.model]);
        p.dispersion = dispersion(state, p.model);
        p.distribution = new NegativeBinomial(p.mean, p.dispersion);
        return p;
    }

    /**
     * Moment estimate of a model's dispersion plus one standard error of it, so that a young or
     * noisy estimate errs towards wider tails.
     */
    private double dispersion(ActivityState state, int model) {
        double meanSquare = state.meanSquaredExpected[model];
        if (!(meanSquare > 0) || state.errorCount[model] == 0) {
            return 0.0;
        }
        double estimate =
                (upperSquaredError(state, model) - state.meanExpected[model]) / meanSquare;
        return estimate > 0 && Double.isFinite(estimate) ? Math.min(estimate, 1e6) : 0.0;
    }

    /**
     * A model's weighted mean squared residual plus one standard error of it: models are chosen,
     * and dispersions estimated, on this so that a young or lucky average is not trusted at face
     * value.
     */
    private double upperSquaredError(ActivityState state, int model) {
        double squared = state.squaredError[model];
        double spread = Math.max(0.0, state.fourthPowerError[model] - squared * squared);
        double weight = LearningRates.capped(state.errorCount[model], dispersionRate);
        return squared + Math.sqrt(spread * weight);
    }

    private void closeWindow(ActivityState state, List<Finding> findings, ScoreSink scores) {
        long count = state.windowCount;
        Prediction p = state.learnedWindows > 0 ? predict(state, state.windowStart) : null;
        boolean learn = true;
        boolean silence = false;
        if (p != null && state.learnedWindows >= config.warmUpWindows()) {
            double upper = p.distribution.upperTail(count);
            double lower = p.distribution.lowerTail(count);
            double alpha = config.falseAlarmRate();
            double pValue = config.lowerTail() ? Math.min(1.0, 2 * Math.min(upper, lower)) : upper;
            silence = lower < alpha;
            learn = !(pValue < alpha) && !silence;
            scores.accept(
                    new Score(
                            NAME,
                            "events",
                            state.windowStart,
                            windows.endOf(state.windowStart),
                            pValue,
                            alpha));
            if (pValue < alpha) {
                findings.add(windowFinding(state, p, count, pValue, upper <= lower));
            }
        }
        if (learn) {
            learn(state, count, p);
            if (p != null) {
                checkDrift(state, p, findings, scores);
            }
        } else if (silence) {
            learnProfiles(state, count, count / p.level, p);
        }
        state.windowStart = windows.endOf(state.windowStart);
        state.windowCount = 0;
        state.evidence.clear();
        if (state.windowStart - windows.endOf(state.lastEventWindow)
                >= config.idleSpan().toMillis()) {
            state.active = false;
        }
    }

    private void learn(ActivityState state, long count, Prediction p) {
        long n = ++state.learnedWindows;
        double learned = count;
        double seasonalFactor = 1.0;
        double ratio = 1.0;
        if (p != null) {
            if (n > config.warmUpWindows()) {
                learned = Math.min(count, p.mean + config.learningClip() * Math.sqrt(p.variance()));
            }
            seasonalFactor = p.expected[p.model] / p.level;
            if (!(seasonalFactor > 0) || !Double.isFinite(seasonalFactor)) {
                seasonalFactor = 1.0;
            }
            ratio = p.level > 0 ? learned / p.level : 1.0;
            for (int m = 0; m < ActivityState.MODELS; m++) {
                if (n > errorStart) {
                    int seen = ++state.errorCount[m];
                    double rate = LearningRates.capped(seen, dispersionRate);
                    double expected = p.expected[m];
                    double residual = count - expected;
                    double squared = residual * residual;
                    state.squaredError[m] += (float) (rate * (squared - state.squaredError[m]));
                    state.fourthPowerError[m] =
                            (float)
                                    Math.min(
                                            Float.MAX_VALUE,
                                            state.fourthPowerError[m]
                                                    + rate
                                                            * (squared * squared
                                                                    - state.fourthPowerError[m]));
                    state.meanExpected[m] += (float) (rate * (expected - state.meanExpected[m]));
                    state.meanSquaredExpected[m] +=
                            (float) (rate * (expected * expected - state.meanSquaredExpected[m]));
                }
            }
        }
        double fast = LearningRates.capped(n, fastRate);
        double slow = LearningRates.capped(n, slowRate);
        state.fastSum += fast * (learned - state.fastSum);
        state.fastWeight += fast * (seasonalFactor - state.fastWeight);
        state.slowSum += slow * (learned - state.slowSum);
        state.slowWeight += slow * (seasonalFactor - state.slowWeight);
        learnProfiles(state, learned, ratio, p);
    }

    /** Adds one window to the seasonal profiles; {@code ratio} is its count over the level. */
    private void learnProfiles(ActivityState state, double count, double ratio, Prediction p) {
        long start = state.windowStart;
        int hour = clock.hourOfDay(start);
        if (p != null) {
            updateDayOfWeek(
                    state,
                    clock.hourOfWeek(start) / SeasonalClock.HOURS_PER_DAY,
                    count,
                    p.expected[ActivityState.HOUR_OF_DAY]);
        }
        updateProfile(state.dailyCodes, state.dailyVisits, hour, ratio, dailyRate, dailyVisitCap);
        updateProfile(
                state.weeklyCodes,
                state.weeklyVisits,
                clock.hourOfWeek(start),
                ratio,
                weeklyRate,
                weeklyVisitCap);
    }

    /**
     * Adds one window to its day-of-week factor, a ratio of weighted sums: counts over hour-of-day
     * expectations; then rescales the visited days to mean factor 1.
     */
    private void updateDayOfWeek(ActivityState state, int day, double count, double hourly) {
        int seen = Math.min(dayOfWeekVisitCap, state.dayOfWeekVisits[day] + 1);
        state.dayOfWeekVisits[day] = seen;
        double rate = Math.max(1.0 / seen, dayOfWeekRate);
        state.dayOfWeekSum[day] += (float) (rate * (count - state.dayOfWeekSum[day]));
        state.dayOfWeekWeight[day] += (float) (rate * (hourly - state.dayOfWeekWeight[day]));
        double sum = 0.0;
        int visited = 0;
        for (int d = 0; d < ActivityState.DAYS_PER_WEEK; d++) {
            if (state.dayOfWeekVisits[d] > 0) {
                sum += state.dayOfWeekFactor(d);
                visited++;
            }
        }
        double mean = sum / visited;
        if (mean > 0 && Double.isFinite(mean)) {
            for (int d = 0; d < ActivityState.DAYS_PER_WEEK; d++) {
                state.dayOfWeekSum[d] = (float) (state.dayOfWeekSum[d] / mean);
            }
        }
    }

    /**
     * Moves one bucket's factor towards {@code ratio} (from a prior of 1 worth one visit), then
     * rescales the visited buckets to mean 1.
     */
    private static void updateProfile(
            short[] codes, int[] visits, int bucket, double ratio, double floor, int visitCap) {
        int seen = Math.min(visitCap, visits[bucket] + 1);
        visits[bucket] = seen;
        double factor = ActivityState.decode(codes[bucket]);
        double rate = Math.max(1.0 / (seen + 1), floor);
        codes[bucket] = ActivityState.encode(factor + rate * (ratio - factor));
        double sum = 0.0;
        int visited = 0;
        for (int b = 0; b < codes.length; b++) {
            if (visits[b] > 0) {
                sum += ActivityState.decode(codes[b]);
                visited++;
            }
        }
        int shift = ActivityState.shiftFor(sum / visited);
        if (shift != 0) {
            for (int b = 0; b < codes.length; b++) {
                if (visits[b] > 0) {
                    codes[b] =
                            (short)
                                    Math.max(
                                            Short.MIN_VALUE,
                                            Math.min(Short.MAX_VALUE, codes[b] - shift));
                }
            }
        }
    }

    private void checkDrift(
            ActivityState state, Prediction p, List<Finding> findings, ScoreSink scores) {
        long n = state.learnedWindows;
        if (n < driftWarmUpWindows) {
            return;
        }
        double fast = state.fastLevel();
        double slow = state.slowLevel();
        double bound = driftBound(state, p);
        double sd = driftSd(state, p);
        double distance = config.lowerTail() ? Math.abs(fast - slow) : fast - slow;
        scores.accept(
                new Score(
                        NAME,
                        "level",
                        state.windowStart,
                        windows.endOf(state.windowStart),
                        sd > 0
                                ? 0.5 * Erf.erfc(distance / sd / Math.sqrt(2))
                                : distance > 0 ? 0 : 1,
                        config.driftFalseAlarmRate()));
        boolean up = fast - slow > bound;
        boolean down =
                config.lowerTail()
                        && slow - fast
                                > Math.max(
                                        driftZ * sd, (1.0 - 1.0 / config.minDriftRatio()) * slow);
        if (!up && !down) {
            state.driftRun = 0;
            state.driftReported = false;
            return;
        }
        if (state.driftRun == 0) {
            state.driftRunStart = state.windowStart;
        }
        state.driftRun = (int) Math.min(Integer.MAX_VALUE, state.driftRun + 1L);
        if (state.driftRun < config.driftWindows() || state.driftReported) {
            return;
        }
        state.driftReported = true;
        findings.add(driftFinding(state, fast, slow, sd, bound, up));
    }

    /** Standard deviation of fast minus slow level under the model's residual variance. */
    private double driftSd(ActivityState state, Prediction p) {
        long n = state.learnedWindows;
        double residualVariance =
                Math.max(p.variance(), state.squaredError[p.model]) / square(state.fastWeight);
        double factor =
                LearningRates.differenceVarianceFactor(
                        LearningRates.capped(n, fastRate), LearningRates.capped(n, slowRate));
        return Math.sqrt(residualVariance * factor);
    }

    private double driftBound(ActivityState state, Prediction p) {
        return Math.max(
                driftZ * driftSd(state, p), (config.minDriftRatio() - 1.0) * state.slowLevel());
    }

    private static double square(double value) {
        return value > 0 ? value * value : 1.0;
    }

    private Finding windowFinding(
            ActivityState state, Prediction p, long count, double pValue, boolean burst) {
        double alpha = config.falseAlarmRate();
        double tail = config.lowerTail() ? alpha / 2 : alpha;
        long lowest = config.lowerTail() ? p.distribution.lowerLimit(tail) : 0;
        long highest = p.distribution.upperLimit(tail);
        double baseline = LearningRates.effectiveSize(state.learnedWindows, fastRate);
        String summary =
                String.format(
                        Locale.ROOT,
                        "%s: %d events in %s window vs expected %s (interval %d–%d, %s, %s,"
                                + " baseline %s windows)",
                        burst ? "burst" : "silence",
                        count,
                        windows.label(),
                        Formats.decimal(p.mean),
                        lowest,
                        highest,
                        describeModel(p),
                        p.distribution.isPoisson()
                                ? "Poisson"
                                : "dispersion " + Formats.probability(p.dispersion),
                        Formats.count(baseline));
        List<Measure> measures =
                List.of(
                        new Measure("events", count, p.mean, lowest, highest, baseline, "count"),
                        new Measure(
                                "level",
                                state.fastLevel(),
                                state.slowLevel(),
                                Double.NaN,
                                Double.NaN,
                                LearningRates.effectiveSize(state.learnedWindows, slowRate),
                                "events/" + windows.label()));
        return new Finding(
                NAME,
                VERSION,
                state.windowStart,
                windows.endOf(state.windowStart),
                pValue,
                alpha,
                Severity.fromPValue(pValue, alpha),
                summary,
                measures,
                burst ? state.evidence.ids(tag -> true) : List.of());
    }

    private Finding driftFinding(
            ActivityState state, double fast, double slow, double sd, double bound, boolean up) {
        double z = Math.abs(fast - slow) / sd;
        double pValue = Math.min(config.driftFalseAlarmRate(), 0.5 * Erf.erfc(z / Math.sqrt(2)));
        double slowSize = LearningRates.effectiveSize(state.learnedWindows, slowRate);
        String unit = "events/" + windows.label();
        String summary =
                String.format(
                        Locale.ROOT,
                        "slow drift %s: fast level %s %s vs long-horizon %s (bound %s–%s, %s) for %d"
                                + " windows, baseline %s windows",
                        up ? "up" : "down",
                        Formats.decimal(fast),
                        unit,
                        Formats.decimal(slow),
                        Formats.decimal(Math.max(0, slow - bound)),
                        Formats.decimal(slow + bound),
                        (up ? "+" : "") + Formats.percent(fast / slow - 1.0),
                        state.driftRun,
                        Formats.count(slowSize));
        return new Finding(
                NAME,
                VERSION,
                state.driftRunStart,
                windows.endOf(state.windowStart),
                pValue,
                config.driftFalseAlarmRate(),
                Severity.fromPValue(pValue, config.driftFalseAlarmRate()),
                summary,
                List.of(
                        new Measure(
                                "level",
                                fast,
                                slow,
                                Math.max(0, slow - bound),
                                slow + bound,
                                slowSize,
                                unit)),
                state.evidence.ids(tag -> true));
    }

    private String describeModel(Prediction p) {
        return switch (p.model) {
            case ActivityState.HOUR_OF_DAY ->
                    "hour-of-day profile " + clock.describeHourOfDay(p.bucket);
            case ActivityState.DAY_OF_WEEK ->
                    "hour-of-day x day-of-week profile " + clock.describeHourOfWeek(p.bucket);
            case ActivityState.HOUR_OF_WEEK ->
                    "hour-of-week profile " + clock.describeHourOfWeek(p.bucket);
            default -> "non-seasonal level";
        };
    }

    /** z with P(Z &gt; z) = {@code probability} for a standard normal Z. */
    static double upperNormalQuantile(double probability) {
        return Math.sqrt(2) * Erf.erfcInv(2 * probability);
    }
}
