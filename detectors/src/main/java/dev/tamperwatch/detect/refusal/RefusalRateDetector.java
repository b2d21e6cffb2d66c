package dev.tamperwatch.detect.refusal;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.Score;
import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.detect.Severity;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.explain.Formats;
import dev.tamperwatch.detect.stats.BaselineCap;
import dev.tamperwatch.detect.stats.BetaBinomial;
import dev.tamperwatch.detect.window.TumblingWindows;
import java.util.List;
import java.util.Locale;

/**
 * Refusal rate of one key (identity, agent or model) per tumbling window against its own learned
 * rate.
 *
 * <p>Model: refusals are Bernoulli with a rate whose belief is Beta(prior + baseline counts). The
 * prior is the configured population prior, or the key's peer-group prior once one is supplied with
 * {@link #withPeerPrior} or {@link #seedFromPeers}; a peer prior also counts towards the warm-up,
 * so a new key can be scored from its first window. The prior's pseudo-observations fade with the
 * baseline's cap like old observations (giving way to Jeffreys' Beta(1/2, 1/2)), and a key whose
 * own baseline is implausible under the prior ({@link #PRIOR_CONFLICT}) drops it at once: a key far
 * from the population is judged against its own history, not pulled towards the population for
 * ever.
 *
 * <p><b>Window test.</b> When a window of {@code n} outputs with {@code k} refusals closes, {@code
 * k} is scored two-sided against the beta-binomial posterior predictive: a finding is raised when
 * P(K &ge; k) or P(K &le; k) is below {@code falseAlarmRate / 2} (a spike, e.g. a jailbreak
 * campaign, or a sudden drop). Windows need the minimum number of outputs to be tested.
 *
 * <p><b>CUSUM.</b> Two Page CUSUMs catch sustained shifts too small for any one window. At each
 * closed window each adds the log-likelihood ratio of the window's {@code k} refusals in {@code n}
 * outputs under a rate whose odds are {@code cusumOddsRatio} times the baseline's (rising) or
 * divided by it (falling), against the baseline's rate, and is floored at zero. Both likelihoods
 * are beta-binomial with the baseline's concentration: the Bernoulli log-likelihood ratio summed
 * over the window, widened by the baseline's own uncertainty. A finding is raised when a sum {@code
 * S} reaches {@code h = ln(2 / cusumFalseAlarmRate)}, that is when its p-value {@code 2 e^-S} falls
 * to the configured rate. For a known rate, {@code ln(1 / rate)} would do (Lorden's bound): the
 * exponential of a run is then a non-negative martingale starting at one, so by Ville's inequality
 * it reaches {@code e^h} with probability at most {@code e^-h}, and as every run spans at least one
 * window the in-control average run length is at least {@code e^h} windows. The learned rate is an
 * estimate, and while a run holds the baseline fixed (see below) its error acts on every window of
 * the run alike, which the per-window widening does not cover; simulation puts the steady-state
 * rate with {@code ln(1 / rate)} at up to 1.3 times the configured rate, and with the factor 2
 * below it (see the statistical tests). The finding's window spans the run, from the window where
 * its sum last left zero.
 *
 * <p><b>Learning.</b> A window yields at most one finding: the window test's, else the CUSUM's.
 * Nothing is scored before the warm-up. A window that raised a finding is not learned, and both
 * CUSUMs restart. While a CUSUM sum is above zero, closed windows are held back from the baseline,
 * so that the reference rate does not drift along with the shift the run is accumulating: they are
 * learned with the first window after which both sums are back at zero, and dropped when the run
 * ends in a finding. At most as many outputs as the baseline's Beta belief rests on are held back;
 * the window that would exceed that is learned together with the held-back ones and both CUSUMs
 * restart, so a run can never freeze the baseline for long. Learned windows are added to the
 * baseline, which then shrinks to the configured cap.
 *
 * <p>Windows close when {@link #onTime} sees the watermark at or past their end, or when an event
 * of a later window arrives. Events older than the open window count into the open window.
 */
public final class RefusalRateDetector implements Detector<RefusalObservation, RefusalState> {

    public static final String NAME = "refusal-rate";
    public static final String VERSION = "2";

    /**
     * Two-sided tail probability of a key's own baseline under its prior below which the prior is
     * dropped.
     */
    static final double PRIOR_CONFLICT = 1e-3;

    /** Prior weight below which the prior is dropped. */
    static final double MIN_PRIOR_WEIGHT = 1e-3;

    /** Shape of Jeffreys' prior, Beta(1/2, 1/2), what a faded prior gives way to. */
    private static final double JEFFREYS = 0.5;

    private static final StateCodec<RefusalState> CODEC = new RefusalStateCodec();

    private final RefusalRateConfig config;
    private final TumblingWindows windows;
    private final BaselineCap cap;

    public RefusalRateDetector(RefusalRateConfig config) {
        this.config = config;
        this.windows = TumblingWindows.of(config.window());
        this.cap = new BaselineCap(config.maxBaselineSize());
    }

    public RefusalRateConfig config() {
        return config;
    }

    /**
     * Gives {@code state} the Beta prior of its peer group (same application or role) in place of
     * the population prior: mean {@code mean} with weight {@code strength} pseudo-observations,
     * which also count towards the warm-up. Call it for keys with little history of their own,
     * again whenever the peer group's rate is refreshed.
     *
     * <p>The weight should say how alike the group's members are, not how much data was pooled: for
     * member rates spread with mean {@code m} and variance {@code v}, the Beta concentration {@code
     * m (1 - m) / v - 1}. A weight that claims more agreement than the group has makes members that
     * differ from it raise false alarms.
     *
     * @param mean the peer group's refusal rate, in (0, 1)
     * @param strength pseudo-observations, positive and finite
     * @return {@code state}
     * @throws IllegalArgumentException when {@code mean} or {@code strength} is out of range
     */
    public static RefusalState withPeerPrior(RefusalState state, double mean, double strength) {
        if (!(mean > 0 && mean < 1)) {
            throw new IllegalArgumentException("peer prior mean must lie in (0, 1): " + mean);
        }
        if (!(strength > 0) || Double.isInfinite(strength)) {
            throw new IllegalArgumentException(
                    "peer prior strength must be positive and finite: " + strength);
        }
        if (!state.hasPeerPrior()) {
            state.priorWeight = 1.0;
        }
        state.peerAlpha = mean * strength;
        state.peerBeta = (1.0 - mean) * strength;
        dropContradictedPrior(state, state.peerAlpha, state.peerBeta);
        return state;
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
    public RefusalState newState() {
        return new RefusalState();
    }

    /**
     * Seeds a key without history from its peer group's state (pooled counts): the peers' rate
     * becomes the key's peer prior ({@link #withPeerPrior}) with the weight of the warm-up, or of
     * the peers' baseline when smaller — enough to score the key from its first window, little
     * enough for its own outputs to dominate soon and to drop the prior when they contradict it.
     */
    @Override
    public void seedFromPeers(RefusalState state, RefusalState peers, double members) {
        double outputs = peers.baselineSize();
        if (outputs > 0) {
            double mean = (peers.baselineRefused + 0.5) / (outputs + 1.0);
            withPeerPrior(
                    state, mean, Math.min(outputs, Math.max(1.0, config.warmUpObservations())));
        }
    }

    /** Reports the window test's and the CUSUM's p-values of a window the event closes. */
    @Override
    public List<Finding> onEvent(
            RefusalState state, RefusalObservation input, long eventTime, ScoreSink scores) {
        long start = windows.place(eventTime, state.windowStart);
        List<Finding> findings = List.of();
        if (state.hasOpenWindow() && start > state.windowStart) {
            findings = closeWindow(state, scores);
        }
        if (!state.hasOpenWindow()) {
            state.windowStart = start;
        }
        state.windowTotal++;
        if (input.refused()) {
            state.windowRefused++;
        }
        int deviatingSide =
                state.windowRefused > state.windowTotal * expectedRate(state)
                        ? RefusalState.REFUSED
                        : RefusalState.ANSWERED;
        int tag = input.refused() ? RefusalState.REFUSED : RefusalState.ANSWERED;
        state.evidence.offer(input.eventId(), tag, t -> t == deviatingSide ? 1 : 0);
        return findings;
    }

    /**
     * Reports the p-values of the window it closes: {@code refusal_rate} for the window test (when
     * the window is tested) and {@code refusal_rate_sustained} for the CUSUM, {@code 2 e^-S} of the
     * larger sum {@code S}.
     */
    @Override
    public List<Finding> onTime(RefusalState state, long watermark, ScoreSink scores) {
        if (state.hasOpenWindow() && watermark >= windows.endOf(state.windowStart)) {
            return closeWindow(state, scores);
        }
        return List.of();
    }

    @Override
    public long nextDeadline(RefusalState state) {
        return state.hasOpenWindow() ? windows.endOf(state.windowStart) : Long.MAX_VALUE;
    }

    @Override
    public boolean isEmpty(RefusalState state) {
        return !state.hasOpenWindow() && state.baselineSize() == 0;
    }

    @Override
    public StateCodec<RefusalState> codec() {
        return CODEC;
    }

    private List<Finding> closeWindow(RefusalState state, ScoreSink scores) {
        Finding finding = score(state, scores);
        Finding sustained = updateCusums(state, scores);
        if (finding == null) {
            finding = sustained;
        }
        if (finding != null) {
            restartCusums(state);
        } else if ((state.cusumUp > 0 || state.cusumDown > 0)
                && state.pendingTotal + state.windowTotal < alpha(state) + beta(state)) {
            state.pendingRefused += state.windowRefused;
            state.pendingTotal += state.windowTotal;
        } else {
            learn(
                    state,
                    state.pendingRefused + state.windowRefused,
                    state.pendingTotal + state.windowTotal);
            restartCusums(state);
        }
        state.windowStart = windows.endOf(state.windowStart);
        state.windowRefused = 0;
        state.windowTotal = 0;
        state.evidence.clear();
        return finding == null ? List.of() : List.of(finding);
    }

    private void learn(RefusalState state, long windowRefused, long windowTotal) {
        double refused = state.baselineRefused + windowRefused;
        double answered = state.baselineAnswered + windowTotal - windowRefused;
        double shrink = cap.shrinkFactor(refused + answered);
        state.baselineRefused = refused * shrink;
        state.baselineAnswered = answered * shrink;
        double weight = state.priorWeight * shrink;
        state.priorWeight = weight < MIN_PRIOR_WEIGHT ? 0 : weight;
        dropContradictedPrior(state, priorAlpha(state), priorBeta(state));
    }

    /**
     * Sets the prior's weight to zero when the key's own baseline, rounded to whole outputs, is
     * implausible under the prior alone: its two-sided beta-binomial tail is below {@link
     * #PRIOR_CONFLICT}.
     */
    private static void dropContradictedPrior(RefusalState state, double alpha, double beta) {
        long n = Math.round(state.baselineSize());
        if (state.priorWeight == 0 || n == 0) {
            return;
        }
        long k = Math.min(n, Math.round(state.baselineRefused));
        BetaBinomial underPrior = new BetaBinomial(n, alpha, beta);
        double tail = Math.min(underPrior.logUpperTail(k), underPrior.logLowerTail(k));
        if (2 * Math.exp(tail) < PRIOR_CONFLICT) {
            state.priorWeight = 0;
        }
    }

    private double priorAlpha(RefusalState state) {
        return state.hasPeerPrior() ? state.peerAlpha : config.priorAlpha();
    }

    private double priorBeta(RefusalState state) {
        return state.hasPeerPrior() ? state.peerBeta : config.priorBeta();
    }

    /** Zeroes both CUSUMs and drops the windows they held back. */
    private static void restartCusums(RefusalState state) {
        state.cusumUp = 0;
        state.cusumDown = 0;
        state.upRun.clear();
        state.downRun.clear();
        state.pendingRefused = 0;
        state.pendingTotal = 0;
    }

    /** First shape of the rate's belief: weighted prior plus baseline refusals. */
    private double alpha(RefusalState state) {
        double w = state.priorWeight;
        return w * priorAlpha(state) + (1 - w) * JEFFREYS + state.baselineRefused;
    }

    /** Second shape of the rate's belief: weighted prior plus baseline non-refusals. */
    private double beta(RefusalState state) {
        double w = state.priorWeight;
        return w * priorBeta(state) + (1 - w) * JEFFREYS + state.baselineAnswered;
    }

    private double expectedRate(RefusalState state) {
        double alpha = alpha(state);
        return alpha / (alpha + beta(state));
    }

    /** Whether the baseline, with a peer prior's weight, rests on the warm-up. */
    private boolean warmedUp(RefusalState state) {
        double peer = state.priorWeight * (state.peerAlpha + state.peerBeta);
        return state.baselineSize() + peer >= config.warmUpObservations();
    }

    /** Adds the closing window to both CUSUMs; returns a finding when one reaches the threshold. */
    private Finding updateCusums(RefusalState state, ScoreSink scores) {
        if (!warmedUp(state)) {
            return null;
        }
        double logRatio = Math.log(config.cusumOddsRatio());
        state.cusumUp = advance(state, state.upRun, state.cusumUp, logRatio);
        state.cusumDown = advance(state, state.downRun, state.cusumDown, -logRatio);
        scores.accept(
                new Score(
                        NAME,
                        "refusal_rate_sustained",
                        state.windowStart,
                        windows.endOf(state.windowStart),
                        cusumPValue(Math.max(state.cusumUp, state.cusumDown)),
                        config.cusumFalseAlarmRate()));
        double h = config.cusumThreshold();
        if (state.cusumUp >= h && state.cusumUp >= state.cusumDown) {
            return sustainedFinding(state, true);
        }
        if (state.cusumDown >= h) {
            return sustainedFinding(state, false);
        }
        return null;
    }

    /**
     * Extends {@code run} by the closing window and returns its new statistic: the previous one
     * plus the window's log-likelihood ratio of its refusals under the baseline's Beta belief with
     * the log-odds moved by {@code logOddsShift}, against the baseline's own; floored at zero, when
     * the run is dropped.
     */
    private double advance(
            RefusalState state, RefusalState.Run run, double sum, double logOddsShift) {
        long n = state.windowTotal;
        long k = state.windowRefused;
        double alpha = alpha(state);
        double beta = beta(state);
        double concentration = alpha + beta;
        double shiftedMean = 1.0 / (1.0 + beta / alpha * Math.exp(-logOddsShift));
        double llr =
                new BetaBinomial(
                                        n,
                                        shiftedMean * concentration,
                                        (1.0 - shiftedMean) * concentration)
                                .logPmf(k)
                        - new BetaBinomial(n, alpha, beta).logPmf(k);
        double next = sum + llr;
        if (!(next > 0)) {
            run.clear();
            return 0.0;
        }
        if (run.total == 0) {
            run.restart(state.windowStart);
        }
        run.refused += k;
        run.total += n;
        return next;
    }

    private Finding sustainedFinding(RefusalState state, boolean rise) {
        double sum = rise ? state.cusumUp : state.cusumDown;
        RefusalState.Run run = rise ? state.upRun : state.downRun;
        double pValue = cusumPValue(sum);
        double threshold = config.cusumFalseAlarmRate();
        double expected = expectedRate(state);
        double baseline = state.baselineSize();
        long end = windows.endOf(state.windowStart);
        long spanned = Math.max(1, (end - run.start) / windows.sizeMillis());
        String summary =
                String.format(
                        Locale.ROOT,
                        "sustained refusal-rate %s: %d/%d (%s) over %d %s windows vs expected %s"
                                + " (CUSUM log-likelihood ratio %s, threshold %s, baseline %s"
                                + " outputs)",
                        rise ? "rise" : "drop",
                        run.refused,
                        run.total,
                        Formats.percent((double) run.refused / run.total),
                        spanned,
                        windows.label(),
                        Formats.percent(expected),
                        Formats.decimal(sum),
                        Formats.decimal(config.cusumThreshold()),
                        Formats.count(baseline));
        List<Measure> measures =
                List.of(
                        new Measure(
                                "refusal_rate_sustained",
                                (double) run.refused / run.total,
                                expected,
                                Double.NaN,
                                Double.NaN,
                                baseline,
                                "ratio"),
                        new Measure(
                                "refusals_sustained",
                                run.refused,
                                expected * run.total,
                                Double.NaN,
                                Double.NaN,
                                baseline,
                                "count"));
        int evidenceSide = rise ? RefusalState.REFUSED : RefusalState.ANSWERED;
        return new Finding(
                NAME,
                VERSION,
                run.start,
                end,
                pValue,
                threshold,
                Severity.fromPValue(pValue, threshold),
                summary,
                measures,
                state.evidence.ids(tag -> tag == evidenceSide));
    }

    /**
     * The CUSUM's p-value for a sum {@code s}, {@code 2 e^-s}: at most {@code cusumFalseAlarmRate}
     * exactly when {@code s} reaches the threshold.
     */
    private static double cusumPValue(double sum) {
        return Math.min(1.0, 2.0 * Math.exp(-sum));
    }

    /** The finding for the open window, or null when it is not scored or not surprising. */
    private Finding score(RefusalState state, ScoreSink scores) {
        long n = state.windowTotal;
        long k = state.windowRefused;
        if (!warmedUp(state) || n < config.minWindowEvents()) {
            return null;
        }
        BetaBinomial predictive = new BetaBinomial(n, alpha(state), beta(state));
        double logUpper = predictive.logUpperTail(k);
        double logLower = predictive.logLowerTail(k);
        double pValue = Math.min(1.0, 2.0 * Math.exp(Math.min(logUpper, logLower)));
        double alpha = config.falseAlarmRate();
        scores.accept(
                new Score(
                        NAME,
                        "refusal_rate",
                        state.windowStart,
                        windows.endOf(state.windowStart),
                        pValue,
                        alpha));
        if (!(pValue < alpha)) {
            return null;
        }
        boolean spike = logUpper < logLower;
        double expected = expectedRate(state);
        long lowest = predictive.lowerQuantile(alpha / 2);
        long highest = predictive.upperQuantile(alpha / 2);
        double baseline = state.baselineSize();
        String summary =
                String.format(
                        Locale.ROOT,
                        "refusal rate %d/%d (%s) in %s window vs expected %s (interval %s–%s,"
                                + " baseline %s outputs)",
                        k,
                        n,
                        Formats.percent((double) k / n),
                        windows.label(),
                        Formats.percent(expected),
                        Formats.percent((double) lowest / n),
                        Formats.percent((double) highest / n),
                        Formats.count(baseline));
        List<Measure> measures =
                List.of(
                        new Measure(
                                "refusal_rate",
                                (double) k / n,
                                expected,
                                (double) lowest / n,
                                (double) highest / n,
                                baseline,
                                "ratio"),
                        new Measure(
                                "refusals", k, expected * n, lowest, highest, baseline, "count"));
        int evidenceSide = spike ? RefusalState.REFUSED : RefusalState.ANSWERED;
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
                state.evidence.ids(tag -> tag == evidenceSide));
    }
}
