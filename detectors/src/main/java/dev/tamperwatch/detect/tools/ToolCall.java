package dev.tamperwatch.detect.tools;

/**
 * One agent action: a call to a tool.
 *
 * @param toolName name of the tool called ({@code gen_ai.tool.name}); null counts as the empty name
 * @param target resource the call touched (domain, table, path, recipient); not scored by version 1
 * @param eventId id of the action event, kept as evidence; may be null
 */
public record ToolCall(String toolName, String target, String eventId) {

    public ToolCall {
        toolName = toolName == null ? "" : toolName;
    }
}
