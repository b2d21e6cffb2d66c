package dev.tamperwatch.detect.tools;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
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
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Which tools one key (agent or identity) calls, against its own smoothed categorical baseline.
 *
 * <p><b>Novel tool.</b> Once warmed up, the first call in a window to a tool the baseline lacks
 * raises a finding at once when the estimated probability that a call goes to an unseen tool is
 * below {@code noveltyThreshold}. The estimate is Good–Turing's missing mass with one
 * pseudo-singleton: {@code (rare + discovered + 1) / (baseline + 1)}, where {@code rare} is the
 * baseline weight of tools seen at most once plus the "other" mass, and {@code discovered} the
 * unseen tools already called in the open window. Calls to a flagged tool are never learned as that
 * tool — it stays novel in later windows — but count into the "other" mass, so a key that keeps
 * calling new or unlearned tools raises the estimate and stops raising novelty findings.
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
 * its evidence is up to eight calls to over-represented tools among them.
 *
 * <p><b>Bounded state.</b> At most {@code maxTrackedTools} tools are tracked, names cut to {@code
 * maxToolNameBytes}; a new tool beyond that evicts the least-used one, whose weight joins the
 * "other" mass (should it return, it is unseen again).
 *
 * <p>Windows close when {@link #onTime} sees the watermark at or past their end, or at the first
 * event of a later window; events older than the open window count into it.
 */
public final class ToolCallDistributionDetector implements Detector<ToolCall, ToolCallState> {

    public static final String NAME = "tool-call-distribution";
    public static final String VERSION = "1";

    private static final StateCodec<ToolCallState> CODEC = new ToolCallStateCodec();
    private static final String OTHER = "(other tools)";
    private static final int EXPLAINED_TOOLS = 3;

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

    @Override
    public List<Finding> onEvent(ToolCallState state, ToolCall input, long eventTime) {
        long start = windows.place(eventTime, state.windowStart);
        List<Finding> findings = new ArrayList<>(1);
        if (state.hasOpenWindow() && start > state.windowStart) {
            findings.addAll(closeWindow(state));
        }
        if (!state.hasOpenWindow()) {
            state.windowStart = start;
        }
        String name = truncateUtf8(input.toolName(), config.maxToolNameBytes());
        int index = state.indexOf(name);
        if (index < 0) {
            index = state.track(name, config.maxTrackedTools());
        }
        ToolCallState.Tool tool = state.tool(index);
        if (tool.unseen() && tool.windowCalls == 0) {
            if (warmedUp(state)) {
                double unseenProbability = unseenProbability(state);
                if (unseenProbability < config.noveltyThreshold()) {
                    tool.flaggedNovel = true;
                    findings.add(noveltyFinding(state, name, unseenProbability, input.eventId()));
                }
            }
            state.windowDiscoveries++;
        }
        state.countCall(index);
        state.evidence.offer(input.eventId(), index, tag -> evidenceScore(state, tag));
        return findings;
    }

    @Override
    public List<Finding> onTime(ToolCallState state, long watermark) {
        if (state.hasOpenWindow() && watermark >= windows.endOf(state.windowStart)) {
            return closeWindow(state);
        }
        return List.of();
    }

    @Override
    public long nextDeadline(ToolCallState state) {
        return state.hasOpenWindow() ? windows.endOf(state.windowStart) : Long.MAX_VALUE;
    }

    @Override
    public boolean isEmpty(ToolCallState state) {
        return !state.hasOpenWindow() && state.trackedTools() == 0 && state.baselineOther == 0f;
    }

    @Override
    public StateCodec<ToolCallState> codec() {
        return CODEC;
    }

    /**
     * Estimated probability that the next call goes to a tool the baseline lacks, in (0, 1]; see
     * the class description.
     */
    private static double unseenProbability(ToolCallState state) {
        double estimate =
                (state.rareMass() + state.windowDiscoveries + 1.0) / (state.baselineSize() + 1.0);
        return Math.min(1.0, estimate);
    }

    private boolean warmedUp(ToolCallState state) {
        return state.baselineSize() >= config.warmUpCalls();
    }

    private List<Finding> closeWindow(ToolCallState state) {
        Finding shift = null;
        if (warmedUp(state) && state.windowTotal() >= config.minWindowCalls()) {
            shift = shiftFinding(state, new Categories(state));
        }
        state.closeWindow(shift == null, cap, windows.endOf(state.windowStart));
        return shift == null ? List.of() : List.of(shift);
    }

    private Finding noveltyFinding(
            ToolCallState state, String tool, double unseenProbability, String eventId) {
        double threshold = config.noveltyThreshold();
        String summary =
                String.format(
                        Locale.ROOT,
                        "novel tool '%s' called: not in baseline of %s calls, estimated chance of"
                                + " an unseen tool %s (threshold %s)",
                        tool,
                        Formats.count(state.baselineSize()),
                        Formats.percent(unseenProbability),
                        Formats.percent(threshold));
        Measure measure =
                new Measure(
                        "tool:" + tool,
                        1,
                        unseenProbability,
                        Double.NaN,
                        Double.NaN,
                        state.baselineSize(),
                        "count");
        return new Finding(
                NAME,
                VERSION,
                state.windowStart,
                windows.endOf(state.windowStart),
                unseenProbability,
                threshold,
                Severity.fromPValue(unseenProbability, threshold),
                summary,
                List.of(measure),
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

    private Finding shiftFinding(ToolCallState state, Categories categories) {
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
