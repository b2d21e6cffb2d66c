package dev.tamperwatch.detect.tools;

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
import dev.tamperwatch.detect.stats.JensenShannon;
import dev.tamperwatch.detect.stats.PooledGTest;
import dev.tamperwatch.detect.window.TumblingWindows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Which tools one key (agent or identity) calls, in which order and on which targets, against its
 * own baseline.
 *
 * <p><b>Novelty.</b> Once warmed up, three kinds of never-seen item raise a finding on the call
 * itself:
 *
 * <ul>
 *   <li>a <em>tool</em> the baseline lacks;
 *   <li>a <em>transition</em> from the previous call of the same run (or from the run's start) to
 *       this one that the key never made. Calls pair up by run id and step: consecutive steps (or,
 *       with steps unknown, arrival order) of one of the last {@code maxTrackedRuns} runs; a run's
 *       call at step 0 pairs with the run's start; late, repeated or skipped steps, calls of a run
 *       first seen after its start, and calls without a run pair with nothing;
 *   <li>a <em>target</em> the tool never touched.
 * </ul>
 *
 * Each kind estimates its chance per trial (a call, a transition, or a call of the tool with a
 * target) of a never-seen item as Good–Turing's missing mass with one pseudo-singleton, {@code m =
 * (singletons + unlearned + discovered + 1) / (trials + 1)}, over a long horizon: learned items
 * seen exactly once, earlier discoveries that were not learned, and items first seen in the open
 * window. A never-seen item raises a finding when the chance of any never-seen item of its kind
 * among the {@code n} trials of a usual window, {@code 1 - (1 - m)^n} (Šidák's form of a Bonferroni
 * correction over the window's trials), is below {@code noveltyThreshold}, which therefore bounds
 * false alarms per key and window for each kind. With nothing rare in the history, {@code m} falls
 * as {@code 1 / trials}, so a key needs about {@code n / noveltyThreshold} calls of history before
 * novelty can alert at all (100 windows at the default). The usual window is the mean calls per
 * window, or the open window's calls so far when more; for a target it is the share of those calls
 * that go to the tool with a target, at least one. A tool used with many different targets, or a
 * key whose runs wander, keeps a high discovery rate and never alerts on them; one whose targets
 * and transitions repeat alerts on the first departure. Transitions and targets involving a tool
 * the baseline lacks are left to the tool's own finding; one call raises at most one finding,
 * listing every kind that fired.
 *
 * <p>Calls to a flagged tool are never learned as that tool — it stays novel in later windows — but
 * count into the "other" mass. New tools, transitions and targets first seen in a window that
 * raised any finding are not learned either; they count as unlearned discoveries, which raise the
 * discovery rate, so that a key that keeps producing new items stops raising findings about them
 * instead of alerting forever.
 *
 * <p><b>Distribution shift.</b> When a window of at least {@code minWindowCalls} closes, its counts
 * per baseline tool plus one "other" category (unseen and forgotten tools) are compared with the
 * baseline smoothed by {@code smoothing} per category, using {@link PooledGTest} with the
 * Dirichlet-multinomial dispersion {@code (n + A) / (1 + A)} for the baseline's own uncertainty
 * ({@code A} = baseline weight plus smoothing). A finding is raised when p &lt; {@code
 * falseAlarmRate}, and that window is not learned; every other window is, and the baseline then
 * shrinks to the cap.
 *
 * <p><b>Explanation.</b> A shift finding names the three categories contributing most to G
 * (observed vs expected calls) and the Jensen–Shannon divergence of the window from the baseline;
 * its evidence is up to eight calls to over-represented tools among them. A novelty finding names
 * each never-seen item, how many items and trials the baseline holds, and the estimated chance per
 * window against the threshold; its evidence is the call itself.
 *
 * <p><b>Bounded state.</b> At most {@code maxTrackedTools} tools are tracked, names cut to {@code
 * maxToolNameBytes}; a new tool beyond that evicts the least-used one, whose weight joins the
 * "other" mass (should it return, it is unseen again). Transitions are kept as 24-bit fingerprints,
 * at most {@code maxTrackedTransitions}; targets as 16-bit fingerprints, at most {@code
 * maxTargetsPerTool} per tool and {@code maxTrackedTargets} per key; a full table replaces the
 * entry seen least often, a fresh one before a learned one. Trade-offs: a never-seen target whose
 * fingerprint collides with one of the tool's remembered targets passes unnoticed, with probability
 * at most {@code maxTargetsPerTool / 65536} (1.2e-4 at 8); a tool with more regular targets than
 * its table holds keeps displacing them, each displacement counts as an unlearned discovery, and
 * its target novelty falls silent — memory is bounded by missing novel targets of such tools, never
 * by alerting on forgotten ones. A never-seen transition is mistaken for a known one with
 * probability at most {@code maxTrackedTransitions / 2^24} (7.6e-6 at 128). Only the last call of
 * {@code maxTrackedRuns} runs is remembered; calls of runs beyond that form no transitions. A Bloom
 * filter or a HyperLogLog sketch would bound memory as well, but neither counts sightings per item,
 * which the discovery rate needs to tell a tool with a closed set of targets from one with an open
 * set.
 *
 * <p><b>Cold start.</b> {@link #seedFromPeers} gives a new key its peer group's tool mix at the
 * warm-up's weight and the items its peers have used, so that both tests run from its first call.
 *
 * <p>Windows close when {@link #onTime} sees the watermark at or past their end, or at the first
 * event of a later window; events older than the open window count into it.
 */
public final class ToolCallDistributionDetector implements Detector<ToolCall, ToolCallState> {

    public static final String NAME = "tool-call-distribution";
    public static final String VERSION = "2";

    private static final StateCodec<ToolCallState> CODEC = new ToolCallStateCodec();
    private static final String OTHER = "(other tools)";
    private static final int EXPLAINED_TOOLS = 3;
    private static final int EXPLAINED_TARGET_BYTES = 64;
    private static final String RUN_START_NAME = "(run start)";
    private static final String SHIFT_MEASURE = "tool_mix";

    /** Seeded weights exceed the warm-up by this factor, so that float rounding stays above it. */
    private static final double WARM_UP_MARGIN = 1 + 1e-6;

    private final ToolCallDistributionConfig config;
    private final TumblingWindows windows;
    private final BaselineCap cap;

    public ToolCallDistributionDetector(ToolCallDistributionConfig config) {
        this.config = config;
        this.windows = TumblingWindows.of(config.window());
        this.cap = new BaselineCap(config.maxBaselineSize());
    }

    public ToolCallDistributionConfig config() {
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
    public ToolCallState newState() {
        return new ToolCallState();
    }

    /**
     * Seeds a key without history (a state that {@link #isEmpty}) from its peers: their tool mix at
     * the weight of the warm-up (or of their baseline when smaller), so that the shift test runs
     * from the key's first window; their tools, transitions and targets with their sightings, so
     * that what any peer does is not novel while what none does is; their novelty counts halved to
     * at most {@code warmUpCalls / noveltyThreshold} calls (or the novelty horizon), enough for a
     * never-seen item to be surprising in a window of the warm-up's size, few enough for the key's
     * own discoveries to raise its rate soon; and their mean calls per window divided by {@code
     * members}. The weight assumes members' mixes about as alike as that many calls of one member.
     *
     * @throws IllegalArgumentException when {@code members} is below 1 or not finite
     */
    @Override
    public void seedFromPeers(ToolCallState state, ToolCallState peers, double members) {
        Detector.requireMembers(members);
        if (!isEmpty(state) || !(peers.baselineSize() > 0)) {
            return;
        }
        double weight = Math.min(1.0, config.warmUpCalls() * WARM_UP_MARGIN / peers.baselineSize());
        long noveltyCalls =
                (long)
                        Math.min(
                                config.noveltyHorizon(),
                                Math.ceil(config.warmUpCalls() / config.noveltyThreshold()));
        state.seedFrom(peers, weight, noveltyCalls, members);
    }

    /** Reports per-event novelty scores of one call. */
    private final class Scores {
        private final ScoreSink sink;
        private final long eventTime;

        Scores(ScoreSink sink, long eventTime) {
            this.sink = sink;
            this.eventTime = eventTime;
        }

        /** Whether scores are wanted at all; callers name measures only then. */
        boolean wanted() {
            return sink != ScoreSink.NONE;
        }

        void report(String measure, double pValue) {
            sink.accept(
                    new Score(
                            NAME,
                            measure,
                            eventTime,
                            eventTime,
                            pValue,
                            config.noveltyThreshold()));
        }
    }

    private static String targetMeasure(ToolCallState.Tool tool, String target) {
        return "target:" + tool.name + ":" + truncateUtf8(target, EXPLAINED_TARGET_BYTES);
    }

    /** One never-seen item of a call that fired its novelty test. */
    private record Novelty(String summary, Measure measure, double pValue) {}

    /**
     * Reports the p-value of every novelty test the call takes, and of the shift test it closes.
     */
    @Override
    public List<Finding> onEvent(
            ToolCallState state, ToolCall input, long eventTime, ScoreSink scores) {
        long start = windows.place(eventTime, state.windowStart);
        List<Finding> closed = List.of();
        if (state.hasOpenWindow() && start > state.windowStart) {
            closed = closeWindow(state, scores);
        }
        if (!state.hasOpenWindow()) {
            state.windowStart = start;
        }
        Scores noveltyScores = new Scores(scores, eventTime);
        String name = truncateUtf8(input.toolName(), config.maxToolNameBytes());
        int index = state.indexOf(name);
        if (index < 0) {
            index = state.track(name, config.maxTrackedTools());
        }
        ToolCallState.Tool tool = state.tool(index);
        boolean scored = warmedUp(state);
        double windowCalls = usualWindowCalls(state);
        Novelty novelTool = null;
        if (tool.unseen() && tool.windowCalls == 0) {
            if (scored) {
                double perCall =
                        DiscoveryRate.perTrial(
                                state.toolSingletons(),
                                state.toolsUnlearned,
                                state.windowDiscoveries,
                                state.horizonCalls);
                double p = DiscoveryRate.perWindow(perCall, windowCalls);
                if (noveltyScores.wanted()) {
                    noveltyScores.report("tool:" + name, p);
                }
                if (p < config.noveltyThreshold()) {
                    tool.flaggedNovel = true;
                    novelTool = novelTool(state, name, perCall, p, windowCalls);
                }
            }
            state.windowDiscoveries++;
        }
        Novelty novelTransition =
                observeTransition(state, tool, input, scored, windowCalls, noveltyScores);
        Novelty novelTarget =
                observeTarget(state, tool, input.target(), scored, windowCalls, noveltyScores);
        state.countCall(index);
        state.decayNoveltyCounts(config.noveltyHorizon());
        state.evidence.offer(input.eventId(), index, tag -> evidenceScore(state, tag));
        if (novelTool == null && novelTransition == null && novelTarget == null) {
            return closed;
        }
        state.windowAlerted = true;
        List<Novelty> novelties =
                Stream.of(novelTool, novelTransition, novelTarget)
                        .filter(Objects::nonNull)
                        .toList();
        List<Finding> findings = new ArrayList<>(closed);
        findings.add(noveltyFinding(state, novelties, input.eventId()));
        return findings;
    }

    /** Observes the call's transition; returns its novelty when it fired, else null. */
    private Novelty observeTransition(
            ToolCallState state,
            ToolCallState.Tool tool,
            ToolCall input,
            boolean scored,
            double windowCalls,
            Scores scores) {
        if (config.maxTrackedTransitions() == 0) {
            return null;
        }
        long previous =
                state.runs.observe(
                        input.runId(), input.step(), tool.fingerprint, config.maxTrackedRuns());
        if (previous == RunTable.NO_PREVIOUS) {
            return null;
        }
        int from = (int) previous;
        int fingerprint = ToolCallState.transitionFingerprint(from, tool.fingerprint);
        Novelty novelty = null;
        if (state.transitions.indexOf(fingerprint) < 0 && scored && !tool.unseen()) {
            ToolCallState.Tool fromTool = state.toolWithFingerprint(from);
            boolean fromKnown =
                    from == RunTable.RUN_START || fromTool != null && !fromTool.unseen();
            if (fromKnown) {
                double perTrial =
                        DiscoveryRate.perTrial(
                                state.transitions.learnedSingletons(),
                                state.transitionsUnlearned,
                                state.windowTransitionDiscoveries,
                                state.transitionTrials);
                double p = DiscoveryRate.perWindow(perTrial, windowCalls);
                String fromName = fromTool == null ? RUN_START_NAME : fromTool.name;
                if (scores.wanted()) {
                    scores.report("transition:" + fromName + "->" + tool.name, p);
                }
                if (p < config.noveltyThreshold()) {
                    novelty = novelTransition(state, fromName, tool.name, perTrial, p, windowCalls);
                }
            }
        }
        state.observeTransition(fingerprint, config.maxTrackedTransitions());
        return novelty;
    }

    /** Observes the call's target; returns its novelty when it fired, else null. */
    private Novelty observeTarget(
            ToolCallState state,
            ToolCallState.Tool tool,
            String target,
            boolean scored,
            double windowCalls,
            Scores scores) {
        if (target == null
                || target.isEmpty()
                || config.maxTargetsPerTool() == 0
                || config.maxTrackedTargets() == 0) {
            return null;
        }
        int fingerprint = Fingerprints.of16(target);
        Novelty novelty = null;
        if (tool.targets.indexOf(fingerprint) < 0 && scored && !tool.unseen()) {
            double perTrial =
                    DiscoveryRate.perTrial(
                            tool.targets.learnedSingletons(),
                            tool.targetsUnlearned,
                            tool.windowTargetDiscoveries,
                            tool.targetCalls);
            double share = tool.targetCalls / Math.max(1.0, state.horizonCalls);
            double toolCalls = Math.max(1.0, Math.max(windowCalls * share, tool.windowCalls + 1));
            double p = DiscoveryRate.perWindow(perTrial, toolCalls);
            if (scores.wanted()) {
                scores.report(targetMeasure(tool, target), p);
            }
            if (p < config.noveltyThreshold()) {
                novelty = novelTarget(tool, target, perTrial, p, toolCalls);
            }
        }
        state.observeTarget(
                tool, fingerprint, config.maxTargetsPerTool(), config.maxTrackedTargets());
        return novelty;
    }

    /** Reports the p-value of the shift test of the window it closes, if it takes one. */
    @Override
    public List<Finding> onTime(ToolCallState state, long watermark, ScoreSink scores) {
        if (state.hasOpenWindow() && watermark >= windows.endOf(state.windowStart)) {
            return closeWindow(state, scores);
        }
        return List.of();
    }

    @Override
    public long nextDeadline(ToolCallState state) {
        return state.hasOpenWindow() ? windows.endOf(state.windowStart) : Long.MAX_VALUE;
    }

    @Override
    public boolean isEmpty(ToolCallState state) {
        return !state.hasOpenWindow()
                && state.horizonCalls == 0
                && state.trackedTools() == 0
                && state.baselineOther == 0f;
    }

    @Override
    public StateCodec<ToolCallState> codec() {
        return CODEC;
    }

    /**
     * Calls a window of this key usually holds: the mean over closed windows (before any closed,
     * {@code minWindowCalls}), or the open window's calls including this one when more.
     */
    private double usualWindowCalls(ToolCallState state) {
        double mean = state.meanWindowCalls > 0f ? state.meanWindowCalls : config.minWindowCalls();
        return Math.max(1.0, Math.max(mean, state.windowTotal() + 1.0));
    }

    private boolean warmedUp(ToolCallState state) {
        return state.baselineSize() >= config.warmUpCalls();
    }

    private List<Finding> closeWindow(ToolCallState state, ScoreSink scores) {
        Finding shift = null;
        if (warmedUp(state) && state.windowTotal() >= config.minWindowCalls()) {
            shift = shiftFinding(state, new Categories(state), scores);
        }
        state.closeWindow(shift == null, cap, windows.endOf(state.windowStart));
        return shift == null ? List.of() : List.of(shift);
    }

    private Novelty novelTool(
            ToolCallState state, String tool, double perCall, double p, double windowCalls) {
        String summary =
                String.format(
                        Locale.ROOT,
                        "novel tool '%s': not among the %d seen in %s calls",
                        tool,
                        state.baselineTools(),
                        Formats.count(state.horizonCalls));
        return novelty(summary, "tool:" + tool, perCall, p, windowCalls, state.horizonCalls);
    }

    private Novelty novelTransition(
            ToolCallState state,
            String from,
            String to,
            double perTrial,
            double p,
            double windowCalls) {
        String summary =
                String.format(
                        Locale.ROOT,
                        "novel transition '%s' -> '%s': not among the %d seen in %s transitions",
                        from,
                        to,
                        state.trackedTransitions(),
                        Formats.count(state.transitionTrials));
        return novelty(
                summary,
                "transition:" + from + "->" + to,
                perTrial,
                p,
                windowCalls,
                state.transitionTrials);
    }

    private Novelty novelTarget(
            ToolCallState.Tool tool, String target, double perTrial, double p, double toolCalls) {
        String shown = truncateUtf8(target, EXPLAINED_TARGET_BYTES);
        String summary =
                String.format(
                        Locale.ROOT,
                        "novel target '%s' of '%s': not among the %d seen in %s calls",
                        shown,
                        tool.name,
                        tool.targets.size(),
                        Formats.count(tool.targetCalls));
        return novelty(
                summary, targetMeasure(tool, target), perTrial, p, toolCalls, tool.targetCalls);
    }

    /**
     * @param trials the kind's trials per window the p-value was computed over
     * @param baseline the kind's trials over the novelty horizon
     */
    private Novelty novelty(
            String what,
            String measureName,
            double perTrial,
            double p,
            double trials,
            double baseline) {
        String summary =
                String.format(
                        Locale.ROOT,
                        "%s, estimated chance of a new one in %s %s: %s",
                        what,
                        Formats.count(trials),
                        Math.round(trials) == 1 ? "call" : "calls",
                        Formats.percent(p));
        Measure measure =
                new Measure(
                        measureName,
                        1,
                        trials * perTrial,
                        Double.NaN,
                        Double.NaN,
                        baseline,
                        "count");
        return new Novelty(summary, measure, p);
    }

    private Finding noveltyFinding(ToolCallState state, List<Novelty> novelties, String eventId) {
        double threshold = config.noveltyThreshold();
        double pValue = novelties.stream().mapToDouble(Novelty::pValue).min().orElse(1.0);
        String summary =
                novelties.stream().map(Novelty::summary).collect(Collectors.joining("; "))
                        + " (threshold "
                        + Formats.percent(threshold)
                        + ")";
        return new Finding(
                NAME,
                VERSION,
                state.windowStart,
                windows.endOf(state.windowStart),
                pValue,
                threshold,
                Severity.fromPValue(pValue, threshold),
                summary,
                novelties.stream().map(Novelty::measure).toList(),
                EventIds.storable(eventId) ? List.of(eventId) : List.of());
    }

    /** Current deviance of the tag's category, negative when under-represented. */
    private double evidenceScore(ToolCallState state, int tag) {
        double n = state.windowTotal();
        double concentration =
                state.baselineSize() + config.smoothing() * (state.baselineTools() + 1);
        double observed;
        double weight;
        if (tag == ToolCallState.UNTRACKED || state.tool(tag).unseen()) {
            observed = state.windowOtherCalls();
            weight = state.baselineOther + config.smoothing();
        } else {
            observed = state.tool(tag).windowCalls;
            weight = state.tool(tag).baseline + config.smoothing();
        }
        double expected = n * weight / concentration;
        double deviance = PooledGTest.deviance(observed, expected);
        return observed >= expected ? deviance : -deviance;
    }

    private Finding shiftFinding(ToolCallState state, Categories categories, ScoreSink scores) {
        long n = state.windowTotal();
        double concentration = Arrays.stream(categories.weights).sum();
        double dispersion = (n + concentration) / (1.0 + concentration);
        PooledGTest.Result test =
                PooledGTest.test(
                        categories.observed,
                        categories.weights,
                        config.minExpectedPerBin(),
                        dispersion);
        double alpha = config.falseAlarmRate();
        scores.accept(
                new Score(
                        NAME,
                        SHIFT_MEASURE,
                        state.windowStart,
                        windows.endOf(state.windowStart),
                        test.pValue(),
                        alpha));
        if (!(test.pValue() < alpha)) {
            return null;
        }
        double[] expected = PooledGTest.expectedCounts(n, categories.weights);
        double[] deviance =
                IntStream.range(0, expected.length)
                        .mapToDouble(c -> PooledGTest.deviance(categories.observed[c], expected[c]))
                        .toArray();
        int[] top =
                IntStream.range(0, expected.length)
                        .boxed()
                        .sorted(Comparator.comparingDouble((Integer c) -> -deviance[c]))
                        .limit(EXPLAINED_TOOLS)
                        .mapToInt(Integer::intValue)
                        .toArray();
        double jsd =
                JensenShannon.divergenceBits(
                        Arrays.stream(categories.observed).asDoubleStream().toArray(),
                        categories.weights);
        double baseline = state.baselineSize();
        List<Measure> measures = new ArrayList<>();
        for (int c : top) {
            measures.add(
                    new Measure(
                            "tool:" + categories.names[c],
                            categories.observed[c],
                            expected[c],
                            Double.NaN,
                            Double.NaN,
                            baseline,
                            "count"));
        }
        measures.add(new Measure("tool_mix_jsd", jsd, 0, Double.NaN, Double.NaN, baseline, "bits"));
        List<String> contributions = new ArrayList<>();
        for (int c : top) {
            contributions.add(
                    categories.names[c]
                            + " "
                            + categories.observed[c]
                            + " vs "
                            + Formats.decimal(expected[c])
                            + (contributions.isEmpty() ? " expected" : ""));
        }
        String summary =
                String.format(
                        Locale.ROOT,
                        "tool mix shifted: %d calls in %s window, %s (JSD %.3f bits, p=%s,"
                                + " baseline %s calls)",
                        n,
                        windows.label(),
                        String.join(", ", contributions),
                        jsd,
                        Formats.probability(test.pValue()),
                        Formats.count(baseline));
        return new Finding(
                NAME,
                VERSION,
                state.windowStart,
                windows.endOf(state.windowStart),
                test.pValue(),
                alpha,
                Severity.fromPValue(test.pValue(), alpha),
                summary,
                measures,
                evidence(state, categories, top, expected));
    }

    /** Evidence from the top categories that were over-represented, else all kept ids. */
    private static List<String> evidence(
            ToolCallState state, Categories categories, int[] top, double[] expected) {
        Set<Integer> telling =
                Arrays.stream(top)
                        .filter(c -> categories.observed[c] > expected[c])
                        .boxed()
                        .collect(Collectors.toSet());
        List<String> ids = state.evidence.ids(tag -> telling.contains(categories.of(tag)));
        return ids.isEmpty() ? state.evidence.ids(tag -> true) : ids;
    }

    private static String truncateUtf8(String value, int maxBytes) {
        if (surelyFits(value, maxBytes)) {
            return value;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return value;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code value} surely takes at most {@code maxBytes} in UTF-8, counted without
     * encoding it: at most three bytes per char, two per surrogate (exact for pairs, more than the
     * one byte of an unpaired one).
     */
    private static boolean surelyFits(String value, int maxBytes) {
        int length = value.length();
        if (length > maxBytes) {
            return false;
        }
        if (length * 3 <= maxBytes) {
            return true;
        }
        int bytes = 0;
        for (int i = 0; i < length && bytes <= maxBytes; i++) {
            char c = value.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes <= maxBytes;
    }

    /**
     * The open window as categories for the shift test: one per baseline tool, the last for "other"
     * (unseen and forgotten tools), with smoothed baseline weights.
     */
    private final class Categories {
        final String[] names;
        final long[] observed;
        final double[] weights;
        final int[] categoryOfTool;

        Categories(ToolCallState state) {
            int other = state.baselineTools();
            names = new String[other + 1];
            observed = new long[other + 1];
            weights = new double[other + 1];
            categoryOfTool = new int[state.trackedTools()];
            int next = 0;
            for (int i = 0; i < state.trackedTools(); i++) {
                ToolCallState.Tool tool = state.tool(i);
                if (tool.unseen()) {
                    categoryOfTool[i] = other;
                } else {
                    categoryOfTool[i] = next;
                    names[next] = tool.name;
                    observed[next] = tool.windowCalls;
                    weights[next] = tool.baseline + config.smoothing();
                    next++;
                }
            }
            names[other] = OTHER;
            observed[other] = state.windowOtherCalls();
            weights[other] = state.baselineOther + config.smoothing();
        }

        int of(int tag) {
            return tag == ToolCallState.UNTRACKED ? names.length - 1 : categoryOfTool[tag];
        }
    }
}
