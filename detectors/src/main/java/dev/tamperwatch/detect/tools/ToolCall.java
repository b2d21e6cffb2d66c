package dev.tamperwatch.detect.tools;

/**
 * One agent action: a call to a tool.
 *
 * @param toolName name of the tool called ({@code gen_ai.tool.name}); null counts as the empty name
 * @param target resource the call touched (domain, table, path, recipient); null or empty when none
 * @param eventId id of the action event, kept as evidence; may be null
 * @param runId the agent run (trace) the call belongs to; null when unknown, and then the call
 *     takes part in no tool-to-tool transition
 * @param step index of the call in its run, from 0; {@link #NO_STEP} when unknown
 */
public record ToolCall(String toolName, String target, String eventId, String runId, int step) {

    /** Step of a call whose index in its run is unknown. */
    public static final int NO_STEP = -1;

    public ToolCall {
        toolName = toolName == null ? "" : toolName;
        step = step < 0 ? NO_STEP : step;
    }

    /** A call outside any known run. */
    public ToolCall(String toolName, String target, String eventId) {
        this(toolName, target, eventId, null, NO_STEP);
    }
}
