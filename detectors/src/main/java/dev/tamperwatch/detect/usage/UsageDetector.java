package dev.tamperwatch.detect.usage;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.Score;
import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.detect.Severity;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.explain.Formats;
import dev.tamperwatch.detect.state.EventIds;
import dev.tamperwatch.detect.stats.BaselineCap;
import dev.tamperwatch.detect.window.TumblingWindows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Output sizes and token use of one identity against its own baselines: exfiltration-sized outputs,
 * cost abuse, and outputs growing slowly.
 *
 * <p><b>Baselines.</b> Output tokens and output characters each have a slow baseline, a {@link
 * LogHistogram} of past outputs' sizes capped at {@code maxBaselineOutputs} (beyond it all weights
 * shrink, which bounds the learning rate), and a fast one: the exponentially weighted average, over
 * about {@code fastHorizonOutputs} outputs, of each output's normal score {@code Φ⁻¹(r)} in the
 * slow baseline ({@code r} its mid-rank there, scores clamped to ±3). The token sums of past
 * windows form a third histogram, capped at {@code maxBaselineWindows}. Quantiles need a histogram
 * rather than DataSketches' KLL: to have a useful rank error a KLL sketch takes 1.2 KB (k = 100,
 * ±2.6% rank) to 2.2 KB (k = 200, ±1.3%) per metric, three metrics would not fit a 2 KB state, and
 * a ±1% rank error says nothing about a 1e-4 tail; nor can KLL's weights be scaled down to forget.
 * The histogram's error is ±4.4% in value, and it is mergeable and decays.
 *
 * <p><b>Exfiltration-sized outputs.</b> Once a baseline rests on {@code warmUpOutputs}, each
 * output's size is scored against it at once. Its upper-tail probability is the larger of the
 * predictive of a Pareto tail fitted to the baseline's {@code outputTailSize} largest outputs
 * ({@link TailFit}) at the lower edge of its bin, and the share of the baseline at or above a size
 * 30% below it ({@link #NEAR_BINS}). Discretisation and collapsing thus err on the side of fewer
 * findings; the fit is conservative for any size distribution whose log has a lighter than
 * exponential tail (log-normal, gamma, anything capped by a length limit) and matches a Pareto
 * tail; the empirical share keeps a rare but recurring size far out in the tail from being flagged
 * as if it were new. When both tokens and characters are reported the two probabilities are
 * combined with Simes' test, {@code min(2 p₍₁₎, p₍₂₎)}: valid because the two sizes of one output
 * are positively dependent, and, as they mostly agree, nearly half Bonferroni's doubled minimum. A
 * finding is raised when the result is below {@code outputFalseAlarmRate}, a rate per output.
 *
 * <p><b>Cost abuse.</b> When a window with token counts closes and the window baseline rests on
 * {@code warmUpWindows}, its token sum (input plus output) is scored the same way against the
 * window histogram with the tail fitted to its {@code windowTailSize} largest sums; a finding is
 * raised below {@code windowFalseAlarmRate}, a rate per key-window. The fit assumes the sums' log
 * has an at most exponential tail beyond those; sizes with infinite mean (Pareto index at most 1)
 * break that and raise the rate.
 *
 * <p><b>Gradual growth.</b> Slow growth that no single output or window shows moves the fast
 * baseline up through the slow one, which follows at a fraction of the pace. Under an unchanged
 * size distribution the normal scores are standard normals (fewer ties only narrow them); were they
 * independent, the fast average would have variance {@code 1 / fastHorizonOutputs}, plus {@code 1 /
 * n} for the slow baseline's own sampling error over its {@code n} outputs. Real outputs are not
 * independent — a conversation's answers are alike in size — and correlation widens the average by
 * a factor no model of conversations can fix in advance, so each key learns it: at every window
 * close that raised no finding, twice the squared negative part of the fast average (clipped to
 * {@value #SPREAD_CLIP} times the current variance) enters a running mean, weighted by the outputs
 * that moved the fast average in that window and capped at {@value #SPREAD_HORIZONS} slow
 * baselines, so that it learns at most one part in {@code 5 * maxBaselineOutputs} per output. The
 * fast average is symmetric about zero under an unchanged distribution, so this lower semivariance
 * estimates its variance; growth pushes the average up and can only lower the estimate, never
 * inflate it to hide a ramp. The learned variance over {@code 1 / fastHorizonOutputs}, pooled with
 * 1 at a weight of {@value #SPREAD_PRIOR_HORIZONS} fast horizon (a young key falls back to
 * independent outputs), at least 1 and widened by one standard error of its own estimate ({@link
 * #SPREAD_CONFIDENCE}), inflates both variances ({@link #nullVariance}). At each window close a
 * finding is raised when the upper tail of the fast average under that normal is below {@code
 * windowFalseAlarmRate} (doubled when both sizes are tracked); the fast averages then restart at
 * zero. A young key's first few thousand outputs, on which the spread rests too little, can still
 * raise the rate on strongly correlated outputs.
 *
 * <p><b>Poisoning.</b> A window that raised a finding does not enter the window baseline. A flagged
 * output enters its size baselines only with a token weight — {@code outputFalseAlarmRate / 4.5} of
 * the capped baseline — and not the fast one, so that it takes at most {@value #FLAGGED_REPEATS}
 * flagged outputs of about the same size (fewer while the baseline is young) before that size stops
 * being flagged; a flagged size that would need a bin of its own in a full histogram is not kept at
 * all. The caps bound how fast legitimate data can move the baselines. Per-output scoring and
 * learning happen at the output; window scores at the window's close.
 *
 * <p><b>Cold start.</b> {@link #seedFromPeers} seeds a new identity's baselines with its peer
 * group's at the warm-up's weight, the group's window token sums divided by the members they cover.
 *
 * <p>Windows close when {@link #onTime} sees the watermark at or past their end, or at the first
 * event of a later window; events older than the open window count into it.
 */
public final class UsageDetector implements Detector<UsageObservation, UsageState> {

    public static final String NAME = "usage";
    public static final String VERSION = "2";

    /** Largest magnitude of a normal score, and so of a fast baseline. */
    static final double MAX_SCORE = 3.0;

    /**
     * Bins (of 9% each) below a value's own within which the baseline's weight counts as "at least
     * as large": sizes up to about 30% above ones the baseline holds are never flagged on the tail
     * fit alone, which keeps rare recurring sizes (a second mode far out in the tail, which the
     * exponential fit cannot represent) from raising false alarms.
     */
    static final int NEAR_BINS = 3;

    /**
     * Flagged outputs of about one size (within {@link #NEAR_BINS}) it takes at most, within the
     * capped baseline's horizon, before that size stops being flagged: a legitimate new mode — the
     * first outputs cut off at a length limit, say — raises a bounded number of findings instead of
     * one per output for ever, while a single flagged output hardly moves the baseline.
     */
    static final int FLAGGED_REPEATS = 5;

    /** Largest learned spread: twice the square of the largest fast score. */
    static final double MAX_SPREAD = 2 * MAX_SCORE * MAX_SCORE;

    /**
     * Cap on the outputs a learned spread rests on, in slow baselines ({@code maxBaselineOutputs}):
     * beyond it the spread learns at most {@code 1 / (SPREAD_HORIZONS * maxBaselineOutputs)} a
     * scored output.
     */
    static final double SPREAD_HORIZONS = 5;

    /**
     * Weight of the independent-output variance in the spread, in fast horizons ({@code
     * fastHorizonOutputs}): a young key's test stays at it.
     */
    static final double SPREAD_PRIOR_HORIZONS = 1;

    /**
     * Margin for the learned spread's own sampling error: the inflation is multiplied by {@code 1 +
     * SPREAD_CONFIDENCE * sqrt(fastHorizonOutputs / w)}, {@code w} the outputs it rests on (prior
     * included), about one standard error of a variance estimated from {@code w / fastHorizon}
     * independent looks at the fast average.
     */
    static final double SPREAD_CONFIDENCE = 1;

    /** A window's contribution to the spread is clipped to this many times the current variance. */
    static final double SPREAD_CLIP = 9;

    private static final StateCodec<UsageState> CODEC = new UsageStateCodec();
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private final UsageConfig config;
    private final TumblingWindows windows;
    private final BaselineCap outputCap;
    private final BaselineCap windowCap;

    public UsageDetector(UsageConfig config) {
        this.config = config;
        this.windows = TumblingWindows.of(config.window());
        this.outputCap = new BaselineCap(config.maxBaselineOutputs());
        this.windowCap = new BaselineCap(config.maxBaselineWindows());
    }

    public UsageConfig config() {
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
    public UsageState newState() {
        return new UsageState();
    }

    /**
     * Adds the slow baselines of {@code peers} to {@code state}, scaled down to weigh at most the
     * warm-ups: a new identity is then scored against its peers from its first output and window,
     * and its own history outweighs them as it grows. Output sizes are the members' as they are;
     * the peers' window token sums are the group's, divided by {@code members} ({@link
     * LogHistogram#divideValues}, rounding towards larger sums) to be a member's.
     *
     * @throws IllegalArgumentException when {@code members} is below 1 or not finite
     */
    @Override
    public void seedFromPeers(UsageState state, UsageState peers, double members) {
        Detector.requireMembers(members);
        LogHistogram windowTokens = new LogHistogram(peers.windowTokens);
        windowTokens.divideValues(members);
        seed(state.outputTokens.slow, peers.outputTokens.slow, config.warmUpOutputs());
        seed(state.outputChars.slow, peers.outputChars.slow, config.warmUpOutputs());
        seed(state.windowTokens, windowTokens, config.warmUpWindows());
    }

    /**
     * Reports the p-value of every size of the output scored ({@code output_tokens}, {@code
     * output_chars}; Simes' term when both are), and those of a window the event closes.
     */
    @Override
    public List<Finding> onEvent(
            UsageState state, UsageObservation input, long eventTime, ScoreSink scores) {
        long start = windows.place(eventTime, state.windowStart);
        List<Finding> findings = new ArrayList<>(1);
        if (state.hasOpenWindow() && start > state.windowStart) {
            findings.addAll(closeWindow(state, scores));
        }
        if (!state.hasOpenWindow()) {
            state.windowStart = start;
        }
        state.windowEvents++;
        if (input.hasTokens()) {
            state.windowTokenEvents++;
            long sum = state.windowTokenSum + input.tokens();
            state.windowTokenSum = sum < 0 ? Long.MAX_VALUE : sum;
        }
        if (input.isOutput()) {
            Finding finding = scoreOutput(state, input, eventTime, scores);
            if (finding != null) {
                findings.add(finding);
            }
        }
        double size =
                input.hasTokens()
                        ? input.tokens()
                        : input.lengthChars() == null ? 0 : input.lengthChars();
        state.evidence.offer(input.eventId(), LogHistogram.binOf(size), tag -> tag);
        return findings;
    }

    /**
     * Reports the p-values of the window it closes: {@code window_tokens} when its token use is
     * scored, and {@code output_tokens_drift} and {@code output_chars_drift} for the sizes whose
     * growth is tracked (doubled when both are).
     */
    @Override
    public List<Finding> onTime(UsageState state, long watermark, ScoreSink scores) {
        if (state.hasOpenWindow() && watermark >= windows.endOf(state.windowStart)) {
            return closeWindow(state, scores);
        }
        return List.of();
    }

    @Override
    public long nextDeadline(UsageState state) {
        return state.hasOpenWindow() ? windows.endOf(state.windowStart) : Long.MAX_VALUE;
    }

    @Override
    public boolean isEmpty(UsageState state) {
        return !state.hasOpenWindow() && state.hasNoBaseline();
    }

    @Override
    public StateCodec<UsageState> codec() {
        return CODEC;
    }

    /** One output size checked against its baseline. */
    private record SizeScore(
            UsageState.SizeBaseline baseline,
            String name,
            String unit,
            double value,
            TailFit fit,
            double pValue) {}

    private Finding scoreOutput(
            UsageState state, UsageObservation input, long eventTime, ScoreSink scores) {
        List<SizeScore> sizes = new ArrayList<>(2);
        List<SizeScore> unscored = new ArrayList<>(2);
        collect(
                state.outputTokens,
                "output_tokens",
                "tokens",
                input.outputTokens(),
                sizes,
                unscored);
        collect(state.outputChars, "output_chars", "chars", input.lengthChars(), sizes, unscored);
        if (sizes.size() == 2 && sizes.get(1).pValue() < sizes.get(0).pValue()) {
            Collections.swap(sizes, 0, 1);
        }
        double alpha = config.outputFalseAlarmRate();
        double pValue = 1.0;
        for (int rank = 1; rank <= sizes.size(); rank++) {
            double adjusted = simes(sizes.get(rank - 1).pValue(), rank, sizes.size());
            pValue = Math.min(pValue, adjusted);
            if (scores != ScoreSink.NONE) {
                scores.accept(
                        new Score(
                                NAME,
                                sizes.get(rank - 1).name(),
                                eventTime,
                                eventTime,
                                adjusted,
                                alpha));
            }
        }
        if (pValue < alpha) {
            for (SizeScore score : sizes) {
                learnFlagged(score.baseline(), score.value());
            }
            for (SizeScore score : unscored) {
                learnFlagged(score.baseline(), score.value());
            }
            return outputFinding(sizes, pValue, eventTime, input.eventId());
        }
        for (SizeScore score : sizes) {
            learn(score.baseline(), score.value());
        }
        for (SizeScore score : unscored) {
            learn(score.baseline(), score.value());
        }
        return null;
    }

    /**
     * Simes' term for the {@code rank}-th smallest of {@code count} p-values, {@code p * count /
     * rank}; the smallest term over all ranks is a valid p-value for "no size is unusual" when the
     * sizes are positively dependent, as an output's tokens and characters are.
     */
    static double simes(double pValue, int rank, int count) {
        return Math.min(1.0, pValue * count / rank);
    }

    /** Scores {@code value} when present: into {@code sizes} once warm, else {@code unscored}. */
    private void collect(
            UsageState.SizeBaseline baseline,
            String name,
            String unit,
            Integer value,
            List<SizeScore> sizes,
            List<SizeScore> unscored) {
        if (value == null) {
            return;
        }
        LogHistogram slow = baseline.slow;
        if (!reaches(slow.total(), config.warmUpOutputs()) || slow.isEmpty()) {
            unscored.add(new SizeScore(baseline, name, unit, value, null, 1.0));
            return;
        }
        TailFit fit = slow.tail(Math.min(1.0, config.outputTailSize() / slow.total()));
        sizes.add(new SizeScore(baseline, name, unit, value, fit, upperTail(slow, fit, value)));
    }

    /**
     * Conservative probability of a value at least as large as {@code value}: the larger of the
     * tail fit's predictive at the lower edge of its bin and the empirical share of the baseline at
     * or above a bin {@value #NEAR_BINS} below its own.
     */
    private static double upperTail(LogHistogram histogram, TailFit fit, double value) {
        int bin = LogHistogram.binOf(value);
        double empirical = histogram.weightFrom(bin - NEAR_BINS) / histogram.total();
        double fitted = fit == null ? 1.0 : fit.exceedance(bin);
        return Math.min(1.0, Math.max(empirical, fitted));
    }

    /** Adds an output's size to the slow baseline, after moving the fast one by its score. */
    private void learn(UsageState.SizeBaseline baseline, double value) {
        LogHistogram slow = baseline.slow;
        if (reaches(slow.total(), config.warmUpOutputs()) && !slow.isEmpty()) {
            double score = normalScore(slow.midRank(value));
            baseline.fast += config.fastWeight() * (score - baseline.fast);
            baseline.windowScored++;
        }
        slow.add(value, 1.0);
        slow.scale(outputCap.shrinkFactor(slow.total()));
    }

    /**
     * Adds a flagged output's size to the slow baseline with a weight so small that {@value
     * #FLAGGED_REPEATS} flagged outputs of about that size together lift its share in a full
     * baseline past the per-output false-alarm rate — unless its bin would push the lowest one out:
     * flagged sizes must not crowd the baseline's own sizes into a collapsed bottom bin. The fast
     * baseline is left alone.
     */
    private void learnFlagged(UsageState.SizeBaseline baseline, double value) {
        LogHistogram slow = baseline.slow;
        double weight =
                config.outputFalseAlarmRate()
                        * config.maxBaselineOutputs()
                        / (FLAGGED_REPEATS - 0.5);
        if (weight >= LogHistogram.MIN_WEIGHT && slow.hasRoomFor(value)) {
            slow.add(value, weight);
            slow.scale(outputCap.shrinkFactor(slow.total()));
        }
    }

    private static double normalScore(double rank) {
        double score = NORMAL.inverseCumulativeProbability(rank);
        return Math.max(-MAX_SCORE, Math.min(MAX_SCORE, score));
    }

    private List<Finding> closeWindow(UsageState state, ScoreSink scores) {
        List<Finding> findings = new ArrayList<>(2);
        if (state.windowTokenEvents > 0) {
            Finding cost = scoreWindow(state, scores);
            if (cost != null) {
                findings.add(cost);
            } else {
                state.windowTokens.add(state.windowTokenSum, 1.0);
                state.windowTokens.scale(windowCap.shrinkFactor(state.windowTokens.total()));
            }
        }
        Finding drift = driftFinding(state, scores);
        if (drift != null) {
            findings.add(drift);
            state.outputTokens.fast = 0;
            state.outputChars.fast = 0;
        } else if (findings.isEmpty()) {
            learnSpread(state.outputTokens);
            learnSpread(state.outputChars);
        }
        state.outputTokens.windowScored = 0;
        state.outputChars.windowScored = 0;
        state.windowStart = windows.endOf(state.windowStart);
        state.windowEvents = 0;
        state.windowTokenEvents = 0;
        state.windowTokenSum = 0;
        state.evidence.clear();
        return findings;
    }

    /**
     * The cost-abuse finding for the open window, or null when it is not scored or not surprising.
     */
    private Finding scoreWindow(UsageState state, ScoreSink scores) {
        LogHistogram sums = state.windowTokens;
        if (!reaches(sums.total(), config.warmUpWindows()) || sums.isEmpty()) {
            return null;
        }
        double sum = state.windowTokenSum;
        TailFit fit = sums.tail(Math.min(1.0, config.windowTailSize() / sums.total()));
        double pValue = upperTail(sums, fit, sum);
        double alpha = config.windowFalseAlarmRate();
        scores.accept(
                new Score(
                        NAME,
                        "window_tokens",
                        state.windowStart,
                        windows.endOf(state.windowStart),
                        pValue,
                        alpha));
        if (!(pValue < alpha)) {
            return null;
        }
        double median = sums.quantile(0.5);
        double threshold = fit == null ? Double.NaN : fit.valueAt(alpha);
        String summary =
                String.format(
                        Locale.ROOT,
                        "token use %s in %s window (%d events) vs median %s per window, p99 %s"
                                + " (alert threshold %s, p=%s, baseline %s windows)",
                        Formats.count(sum),
                        windows.label(),
                        state.windowEvents,
                        Formats.count(median),
                        Formats.count(sums.quantile(0.99)),
                        Formats.count(threshold),
                        Formats.probability(pValue),
                        Formats.count(sums.total()));
        Measure measure =
                new Measure(
                        "window_tokens",
                        sum,
                        median,
                        Double.NaN,
                        threshold,
                        sums.total(),
                        "tokens");
        return new Finding(
                NAME,
                VERSION,
                state.windowStart,
                windows.endOf(state.windowStart),
                pValue,
                alpha,
                Severity.fromPValue(pValue, alpha),
                summary,
                List.of(measure),
                state.evidence.ids(tag -> true));
    }

    private Finding outputFinding(
            List<SizeScore> sizes, double pValue, long eventTime, String eventId) {
        double alpha = config.outputFalseAlarmRate();
        // Under Simes' test an output whose sizes agree is flagged once each exceeds its
        // alpha-quantile: the threshold shown; one size alone needs alpha / 2.
        SizeScore worst = sizes.get(0);
        LogHistogram slow = worst.baseline().slow;
        double threshold = worst.fit() == null ? Double.NaN : worst.fit().valueAt(alpha);
        String summary =
                String.format(
                        Locale.ROOT,
                        "exfiltration-sized output: %s %s vs median %s, p99.9 %s (alert threshold"
                                + " %s, p=%s, baseline %s outputs)",
                        Formats.count(worst.value()),
                        worst.unit(),
                        Formats.count(slow.quantile(0.5)),
                        Formats.count(slow.quantile(0.999)),
                        Formats.count(threshold),
                        Formats.probability(pValue),
                        Formats.count(slow.total()));
        List<Measure> measures = new ArrayList<>(sizes.size());
        for (SizeScore score : sizes) {
            LogHistogram baseline = score.baseline().slow;
            measures.add(
                    new Measure(
                            score.name(),
                            score.value(),
                            baseline.quantile(0.5),
                            Double.NaN,
                            score.fit() == null ? Double.NaN : score.fit().valueAt(alpha),
                            baseline.total(),
                            score.unit()));
        }
        long end = eventTime == Long.MAX_VALUE ? eventTime : eventTime + 1;
        return new Finding(
                NAME,
                VERSION,
                eventTime,
                end,
                pValue,
                alpha,
                Severity.fromPValue(pValue, alpha),
                summary,
                measures,
                EventIds.storable(eventId) ? List.of(eventId) : List.of());
    }

    /** The fast baseline of one output size against its slow one. */
    private record Drift(
            UsageState.SizeBaseline baseline, String name, String unit, double sd, double pValue) {}

    /** The gradual-growth finding at a window close, or null. */
    private Finding driftFinding(UsageState state, ScoreSink scores) {
        List<Drift> tracked = new ArrayList<>(2);
        addDrift(tracked, state.outputTokens, "output_tokens", "tokens");
        addDrift(tracked, state.outputChars, "output_chars", "chars");
        if (tracked.isEmpty()) {
            return null;
        }
        Drift worst = tracked.stream().min(Comparator.comparingDouble(Drift::pValue)).get();
        double alpha = config.windowFalseAlarmRate();
        for (Drift drift : tracked) {
            scores.accept(
                    new Score(
                            NAME,
                            drift.name() + "_drift",
                            state.windowStart,
                            windows.endOf(state.windowStart),
                            Math.min(1.0, drift.pValue() * tracked.size()),
                            alpha));
        }
        double pValue = Math.min(1.0, worst.pValue() * tracked.size());
        if (!(pValue < alpha)) {
            return null;
        }
        UsageState.SizeBaseline baseline = worst.baseline();
        LogHistogram slow = baseline.slow;
        double thresholdScore =
                worst.sd() * NORMAL.inverseCumulativeProbability(1 - alpha / tracked.size());
        double recentRank = NORMAL.cumulativeProbability(baseline.fast);
        double recent = slow.quantile(recentRank);
        double median = slow.quantile(0.5);
        String summary =
                String.format(
                        Locale.ROOT,
                        "outputs growing: recent outputs average normal score %+.2f in this"
                                + " identity's baseline, typically %s vs median %s %s (about p%s;"
                                + " threshold %+.2f, p=%s, baseline %s outputs)",
                        baseline.fast,
                        Formats.count(recent),
                        Formats.count(median),
                        worst.unit(),
                        Formats.decimal(100 * recentRank),
                        thresholdScore,
                        Formats.probability(pValue),
                        Formats.count(slow.total()));
        Measure measure =
                new Measure(
                        worst.name() + "_drift",
                        recent,
                        median,
                        Double.NaN,
                        slow.quantile(NORMAL.cumulativeProbability(thresholdScore)),
                        slow.total(),
                        worst.unit());
        return new Finding(
                NAME,
                VERSION,
                state.windowStart,
                windows.endOf(state.windowStart),
                pValue,
                alpha,
                Severity.fromPValue(pValue, alpha),
                summary,
                List.of(measure),
                state.evidence.ids(tag -> true));
    }

    /**
     * Adds a warmed-up size baseline to {@code tracked}, with the upper-tail probability of its
     * fast average under a normal of the {@link #nullVariance}.
     */
    private void addDrift(
            List<Drift> tracked, UsageState.SizeBaseline baseline, String name, String unit) {
        if (!isTracked(baseline)) {
            return;
        }
        double sd = Math.sqrt(nullVariance(baseline));
        double p = NORMAL.cumulativeProbability(-baseline.fast / sd);
        tracked.add(new Drift(baseline, name, unit, sd, p));
    }

    private boolean isTracked(UsageState.SizeBaseline baseline) {
        return reaches(baseline.slow.total(), config.warmUpOutputs()) && !baseline.slow.isEmpty();
    }

    /**
     * Variance of a fast average under an unchanged size distribution: {@code 1 /
     * fastHorizonOutputs + 1 / n} for independent outputs ({@code n} the slow baseline's outputs,
     * for its sampling error), times the inflation that correlated outputs cause — the learned
     * spread over {@code 1 / fastHorizonOutputs}, the spread pooled with that independent-output
     * variance at a weight of {@value #SPREAD_PRIOR_HORIZONS} fast horizon, and never below 1 —
     * widened by the spread's own sampling error ({@link #SPREAD_CONFIDENCE}). The slow baseline
     * averages the same correlated outputs and is inflated alike.
     */
    double nullVariance(UsageState.SizeBaseline baseline) {
        double independent = 1.0 / config.fastHorizonOutputs();
        double prior = SPREAD_PRIOR_HORIZONS * config.fastHorizonOutputs();
        double learned =
                (prior * independent + baseline.spreadWeight * baseline.spread)
                        / (prior + baseline.spreadWeight);
        double uncertainty =
                1.0
                        + SPREAD_CONFIDENCE
                                * Math.sqrt(
                                        config.fastHorizonOutputs()
                                                / (prior + baseline.spreadWeight));
        double inflation = Math.max(1.0, learned / independent) * uncertainty;
        return inflation * (independent + 1.0 / baseline.slow.total());
    }

    /**
     * Learns a size's spread from a window that raised no finding and moved its fast average: twice
     * the squared negative part of the fast average, clipped to {@value #SPREAD_CLIP} times the
     * current variance, enters a running mean weighted by the window's scored outputs and capped at
     * {@value #SPREAD_HORIZONS} slow baselines. Under an unchanged distribution the fast average is
     * symmetric about zero, so this estimates its variance; growth pushes it up and only lowers the
     * estimate, which the floor of independent outputs then holds.
     */
    private void learnSpread(UsageState.SizeBaseline baseline) {
        long scored = baseline.windowScored;
        if (scored == 0 || !isTracked(baseline)) {
            return;
        }
        double below = Math.min(0.0, baseline.fast);
        double sample = Math.min(2 * below * below, SPREAD_CLIP * nullVariance(baseline));
        double weight = baseline.spreadWeight + scored;
        baseline.spread += scored / weight * (Math.min(MAX_SPREAD, sample) - baseline.spread);
        baseline.spreadWeight = Math.min(weight, SPREAD_HORIZONS * config.maxBaselineOutputs());
    }

    /** Whether a baseline weight reaches a warm-up, allowing for the float rounding of weights. */
    private static boolean reaches(double weight, double warmUp) {
        return weight >= warmUp * (1 - 1e-6);
    }

    private static void seed(LogHistogram into, LogHistogram peers, double weight) {
        if (peers.isEmpty() || !(weight > 0)) {
            return;
        }
        LogHistogram scaled = new LogHistogram(peers);
        scaled.scale(Math.min(1.0, weight / scaled.total()));
        into.merge(scaled);
    }
}
