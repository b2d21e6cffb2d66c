package dev.tamperwatch.load;

import java.util.List;
import java.util.Objects;

/**
 * One tool of an agent's fixed tool set.
 *
 * @param tool the catalogue tool
 * @param probability fixed probability that a step of the agent calls this tool
 * @param targets the resources this agent touches with the tool, each equally likely
 */
public record ToolUse(Tool tool, double probability, List<String> targets) {

    public ToolUse {
        Objects.requireNonNull(tool, "tool");
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("tool use needs a target");
        }
    }
}
