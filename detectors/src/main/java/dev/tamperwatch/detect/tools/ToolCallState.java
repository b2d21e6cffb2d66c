package dev.tamperwatch.detect.tools;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.stats.BaselineCap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-key state of {@link ToolCallDistributionDetector}: a bounded table of tools with their
 * decayed baseline weight and open-window call count, the baseline mass of forgotten tools, and up
 * to {@link EvidenceSlots#CAPACITY} event ids of the open window tagged with their tool's table
 * index ({@link #UNTRACKED} once the tool was forgotten).
 *
 * <p>A tool whose baseline weight is zero is <em>unseen</em>: for the shift test its calls count
 * into the "other" category together with calls to forgotten tools.
 */
public final class ToolCallState {

    static final int UNTRACKED = -1;

    /** One tracked tool. */
    static final class Tool {
        final String name;
        float baseline;
        long windowCalls;
        boolean flaggedNovel;

        Tool(String name, float baseline, long windowCalls, boolean flaggedNovel) {
            this.name = name;
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

    final List<Tool> tools = new ArrayList<>();
    EvidenceSlots evidence = new EvidenceSlots();

    private final Map<String, Integer> index = new HashMap<>();
    private double baselineTotal;
    private int baselineTools;
    private long windowTotal;
    private long windowOtherCalls;

    /** Effective number of calls the baseline rests on. */
    public double baselineSize() {
        return baselineTotal;
    }

    /** Number of tools the table tracks. */
    public int trackedTools() {
        return tools.size();
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

    /**
     * Adds {@code name} to the table, first forgetting the least-used tool when the table holds
     * {@code maxTracked}: its baseline weight joins the "other" mass and its window calls the
     * untracked ones.
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
        }
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
        }
    }

    /** Baseline weight held by tools seen at most once, counting forgotten tools' weight too. */
    double rareMass() {
        double mass = baselineOther;
        for (Tool tool : tools) {
            if (tool.baseline <= 1f) {
                mass += tool.baseline;
            }
        }
        return mass;
    }

    /**
     * Ends the open window: when {@code learn}, adds its calls to the baseline — calls to tools
     * flagged as novel only to the "other" mass, never to the tool itself — and shrinks it to
     * {@code cap}; then drops tools the baseline lacks and clears the window.
     */
    void closeWindow(boolean learn, BaselineCap cap, long nextWindowStart) {
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
            tool.windowCalls = 0;
            tool.flaggedNovel = false;
        }
        windowUntracked = 0;
        windowDiscoveries = 0;
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
        for (int i = 0; i < tools.size(); i++) {
            Tool tool = tools.get(i);
            index.put(tool.name, i);
            baselineTotal += tool.baseline;
            windowTotal += tool.windowCalls;
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
