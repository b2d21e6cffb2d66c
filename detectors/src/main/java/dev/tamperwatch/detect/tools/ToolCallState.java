package dev.tamperwatch.detect.tools;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.stats.BaselineCap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-key state of {@link ToolCallDistributionDetector}.
 *
 * <ul>
 *   <li>A bounded table of tools with their decayed baseline weight (for the shift test) and
 *       open-window call count, the baseline mass of forgotten tools, and up to {@link
 *       EvidenceSlots#CAPACITY} event ids of the open window tagged with their tool's table index
 *       ({@link #UNTRACKED} once the tool was forgotten).
 *   <li>Novelty counts over a long horizon: calls and per tool its calls, calls with a target and a
 *       bounded table of 16-bit target fingerprints; a bounded table of 24-bit transition
 *       fingerprints; the last call of a few recent runs; the mean calls per window.
 * </ul>
 *
 * <p>A tool whose baseline weight is zero is <em>unseen</em>: for the shift test its calls count
 * into the "other" category together with calls to forgotten tools.
 */
public final class ToolCallState {

    static final int UNTRACKED = -1;

    /** The 24-bit fingerprint of the transition between tools with name fingerprints given. */
    static int transitionFingerprint(int from, int to) {
        return Fingerprints.pair(from, to) >>> 8;
    }

    /** One tracked tool. */
    static final class Tool {
        final String name;
        final int fingerprint;
        float baseline;
        long windowCalls;
        boolean flaggedNovel;

        /** Learned calls over the novelty horizon. */
        long calls;

        /** Learned calls that named a target, over the novelty horizon. */
        long targetCalls;

        /** Target discoveries that were not learned, over the novelty horizon. */
        long targetsUnlearned;

        /** Targets first seen in the open window. */
        long windowTargetDiscoveries;

        FingerprintTable targets = new FingerprintTable();

        Tool(String name, float baseline, long windowCalls, boolean flaggedNovel) {
            this.name = name;
            this.fingerprint = Fingerprints.of32(name);
            this.baseline = baseline;
            this.windowCalls = windowCalls;
            this.flaggedNovel = flaggedNovel;
        }

        boolean unseen() {
            return baseline == 0f;
        }
    }

    /**
     * Start of the open window, or, when none is open, the earliest start the next one may have.
     */
    long windowStart = Long.MIN_VALUE;

    /**
     * Baseline weight of calls the table does not attribute to a tool: to tools forgotten to make
     * room, and to tools flagged as novel.
     */
    float baselineOther;

    /** Open-window calls to tools forgotten during the window. */
    long windowUntracked;

    /** Tools the baseline lacks that were first called in the open window. */
    long windowDiscoveries;

    /** Mean calls per closed window (exponentially weighted); 0 before the first one closes. */
    float meanWindowCalls;

    /** Calls over the novelty horizon, the trials of tool novelty. */
    long horizonCalls;

    /** Tool discoveries that were not learned, over the novelty horizon. */
    long toolsUnlearned;

    /** Transitions observed over the novelty horizon. */
    long transitionTrials;

    /** Transition discoveries that were not learned, over the novelty horizon. */
    long transitionsUnlearned;

    /** Transitions first seen in the open window. */
    long windowTransitionDiscoveries;

    /** Whether the open window raised a finding, so that its discoveries are not learned. */
    boolean windowAlerted;

    final List<Tool> tools = new ArrayList<>();
    FingerprintTable transitions = new FingerprintTable();
    RunTable runs = new RunTable();
    EvidenceSlots evidence = new EvidenceSlots();

    private final Map<String, Integer> index = new HashMap<>();
    private double baselineTotal;
    private int baselineTools;
    private long windowTotal;
    private long windowOtherCalls;
    private int trackedTargets;

    /** Effective number of calls the baseline rests on. */
    public double baselineSize() {
        return baselineTotal;
    }

    /** Number of tools the table tracks. */
    public int trackedTools() {
        return tools.size();
    }

    /** Number of transitions remembered. */
    public int trackedTransitions() {
        return transitions.size();
    }

    /** Number of targets remembered over all tools. */
    public int trackedTargets() {
        return trackedTargets;
    }

    int baselineTools() {
        return baselineTools;
    }

    long windowTotal() {
        return windowTotal;
    }

    /** Open-window calls in the "other" category: to unseen or forgotten tools. */
    long windowOtherCalls() {
        return windowOtherCalls;
    }

    boolean hasOpenWindow() {
        return windowTotal > 0;
    }

    Tool tool(int index) {
        return tools.get(index);
    }

    /** Table index of {@code name}, or -1. */
    int indexOf(String name) {
        return index.getOrDefault(name, -1);
    }

    /** The tracked tool with name fingerprint {@code fingerprint}, or null. */
    Tool toolWithFingerprint(int fingerprint) {
        for (Tool tool : tools) {
            if (tool.fingerprint == fingerprint) {
                return tool;
            }
        }
        return null;
    }

    /**
     * Adds {@code name} to the table, first forgetting the least-used tool when the table holds
     * {@code maxTracked}: its baseline weight joins the "other" mass, its window calls the
     * untracked ones, and its targets are forgotten with it.
     *
     * @return the new tool's index
     */
    int track(String name, int maxTracked) {
        Tool added = new Tool(name, 0f, 0, false);
        if (tools.size() < maxTracked) {
            tools.add(added);
            index.put(name, tools.size() - 1);
            return tools.size() - 1;
        }
        int victim = 0;
        for (int i = 1; i < tools.size(); i++) {
            if (use(tools.get(i)) < use(tools.get(victim))) {
                victim = i;
            }
        }
        Tool forgotten = tools.get(victim);
        baselineOther += forgotten.baseline;
        windowUntracked += forgotten.windowCalls;
        if (!forgotten.unseen()) {
            baselineTools--;
            windowOtherCalls += forgotten.windowCalls;
            toolsUnlearned++;
        }
        trackedTargets -= forgotten.targets.size();
        evidence.retag(victim, UNTRACKED);
        index.remove(forgotten.name);
        tools.set(victim, added);
        index.put(name, victim);
        return victim;
    }

    /** Counts one open-window call to the tool at {@code index}. */
    void countCall(int index) {
        Tool tool = tools.get(index);
        tool.windowCalls++;
        windowTotal++;
        if (tool.unseen()) {
            windowOtherCalls++;
        } else {
            tool.calls++;
        }
        horizonCalls++;
    }

    /**
     * Records that {@code tool} touched the target with fingerprint {@code fingerprint}.
     *
     * @return whether the target is new to the tool
     */
    boolean observeTarget(Tool tool, int fingerprint, int maxPerTool, int maxTotal) {
        if (!tool.unseen()) {
            tool.targetCalls++;
        }
        int known = tool.targets.indexOf(fingerprint);
        if (known >= 0) {
            tool.targets.increment(known);
            return false;
        }
        int capacity =
                Math.min(maxPerTool, tool.targets.size() + Math.max(0, maxTotal - trackedTargets));
        int outcome = tool.targets.insertFresh(fingerprint, capacity);
        if (outcome == FingerprintTable.STORED) {
            trackedTargets++;
        } else if (outcome == FingerprintTable.DISPLACED_LEARNED) {
            tool.targetsUnlearned++;
        }
        tool.windowTargetDiscoveries++;
        return true;
    }

    /**
     * Records the transition with fingerprint {@code fingerprint}.
     *
     * @return whether the transition is new
     */
    boolean observeTransition(int fingerprint, int maxTransitions) {
        transitionTrials++;
        int known = transitions.indexOf(fingerprint);
        if (known >= 0) {
            transitions.increment(known);
            return false;
        }
        if (transitions.insertFresh(fingerprint, maxTransitions)
                == FingerprintTable.DISPLACED_LEARNED) {
            transitionsUnlearned++;
        }
        windowTransitionDiscoveries++;
        return true;
    }

    /** Learned tools called exactly once over the novelty horizon. */
    int toolSingletons() {
        int singletons = 0;
        for (Tool tool : tools) {
            if (!tool.unseen() && tool.calls == 1) {
                singletons++;
            }
        }
        return singletons;
    }

    /**
     * Halves every novelty count once the horizon holds more than {@code horizon} calls, so that
     * the discovery rate follows the recent history; sighting counts round up so that nothing seen
     * is forgotten.
     */
    void decayNoveltyCounts(long horizon) {
        if (horizonCalls > horizon) {
            halveNoveltyCounts();
        }
    }

    private void halveNoveltyCounts() {
        horizonCalls >>>= 1;
        toolsUnlearned >>>= 1;
        transitionTrials >>>= 1;
        transitionsUnlearned >>>= 1;
        transitions.halve();
        for (Tool tool : tools) {
            tool.calls = (tool.calls + 1) >>> 1;
            tool.targetCalls >>>= 1;
            tool.targetsUnlearned >>>= 1;
            tool.targets.halve();
        }
    }

    /**
     * Seeds this state, which holds no history, from {@code peers}: the learned tools with their
     * baseline weights, and the "other" mass, times {@code weight}; the mean calls per window
     * divided by {@code members}; the tools' targets, the transitions and the novelty counts as
     * they are, then halved as by {@link #decayNoveltyCounts} until the calls are at most {@code
     * noveltyCalls}. The peers' open window and runs are not copied.
     */
    void seedFrom(ToolCallState peers, double weight, long noveltyCalls, double members) {
        baselineOther = (float) (peers.baselineOther * weight);
        meanWindowCalls = (float) (peers.meanWindowCalls / members);
        horizonCalls = peers.horizonCalls;
        toolsUnlearned = peers.toolsUnlearned;
        transitionTrials = peers.transitionTrials;
        transitionsUnlearned = peers.transitionsUnlearned;
        transitions = peers.transitions.learnedCopy();
        for (Tool tool : peers.tools) {
            float baseline = (float) (tool.baseline * weight);
            if (baseline > 0f) {
                Tool copy = new Tool(tool.name, baseline, 0, false);
                copy.calls = tool.calls;
                copy.targetCalls = tool.targetCalls;
                copy.targetsUnlearned = tool.targetsUnlearned;
                copy.targets = tool.targets.learnedCopy();
                tools.add(copy);
            }
        }
        while (horizonCalls > noveltyCalls) {
            halveNoveltyCounts();
        }
        recomputeDerived();
    }

    /**
     * Ends the open window. When {@code learn}, adds its calls to the baseline — calls to tools
     * flagged as novel only to the "other" mass, never to the tool itself — and shrinks it to
     * {@code cap}; then drops tools the baseline lacks and clears the window. The window's new
     * tools, transitions and targets are learned only when {@code learn} and the window raised no
     * finding; discoveries not learned count as unlearned.
     */
    void closeWindow(boolean learn, BaselineCap cap, long nextWindowStart) {
        boolean learnDiscoveries = learn && !windowAlerted;
        if (!learnDiscoveries) {
            for (Tool tool : tools) {
                tool.flaggedNovel |= tool.unseen();
            }
        }
        meanWindowCalls =
                meanWindowCalls == 0f ? windowTotal : 0.9f * meanWindowCalls + 0.1f * windowTotal;
        long learnedTools = 0;
        for (Tool tool : tools) {
            if (tool.unseen() && !tool.flaggedNovel) {
                tool.calls = tool.windowCalls;
                tool.targetCalls = tool.targets.totalCount();
                learnedTools++;
            }
        }
        toolsUnlearned += Math.max(0, windowDiscoveries - learnedTools);
        if (learn) {
            double other = baselineOther + windowUntracked;
            double total = other;
            for (Tool tool : tools) {
                if (tool.flaggedNovel) {
                    other += tool.windowCalls;
                }
                total += tool.baseline + tool.windowCalls;
            }
            double shrink = cap.shrinkFactor(total);
            baselineOther = (float) (other * shrink);
            for (Tool tool : tools) {
                double learned = tool.flaggedNovel ? 0 : tool.baseline + tool.windowCalls;
                tool.baseline = (float) (learned * shrink);
            }
        }
        tools.removeIf(Tool::unseen);
        for (Tool tool : tools) {
            int kept = tool.targets.closeWindow(learnDiscoveries);
            tool.targetsUnlearned += Math.max(0, tool.windowTargetDiscoveries - kept);
            tool.windowTargetDiscoveries = 0;
            tool.windowCalls = 0;
            tool.flaggedNovel = false;
        }
        int keptTransitions = transitions.closeWindow(learnDiscoveries);
        transitionsUnlearned += Math.max(0, windowTransitionDiscoveries - keptTransitions);
        windowTransitionDiscoveries = 0;
        windowUntracked = 0;
        windowDiscoveries = 0;
        windowAlerted = false;
        windowStart = nextWindowStart;
        evidence.clear();
        recomputeDerived();
    }

    /** Rebuilds the lookup index and totals from the stored fields. */
    void recomputeDerived() {
        index.clear();
        baselineTotal = baselineOther;
        baselineTools = 0;
        windowTotal = windowUntracked;
        windowOtherCalls = windowUntracked;
        trackedTargets = 0;
        for (int i = 0; i < tools.size(); i++) {
            Tool tool = tools.get(i);
            index.put(tool.name, i);
            baselineTotal += tool.baseline;
            windowTotal += tool.windowCalls;
            trackedTargets += tool.targets.size();
            if (tool.unseen()) {
                windowOtherCalls += tool.windowCalls;
            } else {
                baselineTools++;
            }
        }
    }

    private static double use(Tool tool) {
        return tool.baseline + tool.windowCalls;
    }
}
