package dev.tamperwatch.detect.refusal;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
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
 * <p>Model: refusals are Bernoulli with a rate whose belief is Beta(prior + baseline counts). When
 * a window of {@code n} outputs with {@code k} refusals closes, {@code k} is scored two-sided
 * against the beta-binomial posterior predictive: a finding is raised when P(K &ge; k) or P(K &le;
 * k) is below {@code falseAlarmRate / 2} (a spike, e.g. a jailbreak campaign, or a sudden drop).
 * Windows are scored only once the baseline rests on the warm-up and the window holds the minimum
 * number of outputs. A window that raised a finding is not learned; every other window is added to
 * the baseline, which then shrinks to the configured cap.
 *
 * <p>Windows close when {@link #onTime} sees the watermark at or past their end, or when an event
 * of a later window arrives. Events older than the open window count into the open window.
 */
public final class RefusalRateDetector implements Detector<RefusalObservation, RefusalState> {

    public static final String NAME = "refusal-rate";
    public static final String VERSION = "1";

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

    @Override
    public List<Finding> onEvent(RefusalState state, RefusalObservation input, long eventTime) {
        long start = windows.place(eventTime, state.windowStart);
        List<Finding> findings = List.of();
        if (state.hasOpenWindow() && start > state.windowStart) {
            findings = closeWindow(state);
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

    @Override
    public List<Finding> onTime(RefusalState state, long watermark) {
        if (state.hasOpenWindow() && watermark >= windows.endOf(state.windowStart)) {
            return closeWindow(state);
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

    private List<Finding> closeWindow(RefusalState state) {
        Finding finding = score(state);
        if (finding == null) {
            learnWindow(state);
        }
        state.windowStart = windows.endOf(state.windowStart);
        state.windowRefused = 0;
        state.windowTotal = 0;
        state.evidence.clear();
        return finding == null ? List.of() : List.of(finding);
    }

    private void learnWindow(RefusalState state) {
        double refused = state.baselineRefused + state.windowRefused;
        double answered = state.baselineAnswered + state.windowTotal - state.windowRefused;
        double shrink = cap.shrinkFactor(refused + answered);
        state.baselineRefused = refused * shrink;
        state.baselineAnswered = answered * shrink;
    }

    private double expectedRate(RefusalState state) {
        double alpha = config.priorAlpha() + state.baselineRefused;
        return alpha / (alpha + config.priorBeta() + state.baselineAnswered);
    }

    /** The finding for the open window, or null when it is not scored or not surprising. */
    private Finding score(RefusalState state) {
        long n = state.windowTotal;
        long k = state.windowRefused;
        if (state.baselineSize() < config.warmUpObservations() || n < config.minWindowEvents()) {
            return null;
        }
        BetaBinomial predictive =
                new BetaBinomial(
                        n,
                        config.priorAlpha() + state.baselineRefused,
                        config.priorBeta() + state.baselineAnswered);
        double logUpper = predictive.logUpperTail(k);
        double logLower = predictive.logLowerTail(k);
        double pValue = Math.min(1.0, 2.0 * Math.exp(Math.min(logUpper, logLower)));
        double alpha = config.falseAlarmRate();
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
