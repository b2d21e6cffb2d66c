package dev.tamperwatch.load;

import dev.tamperwatch.schema.Topics;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An {@code AGENT} principal acting on behalf of users, with a fixed tool set and traits drawn
 * once.
 *
 * @param tenantId its tenant
 * @param id {@code principal.id} and {@code agent.id}, e.g. {@code crm/agent-03}
 * @param name {@code agent.name}
 * @param version {@code agent.version}
 * @param application the application it belongs to
 * @param tools its fixed tool set with fixed call probabilities summing to 1
 * @param refusalProbability probability that a run ends in a refusal
 * @param rateMultiplier its activity relative to {@link TrafficProfile#runsPerAgentHour()}
 * @param users the identities it acts for, chosen uniformly per run
 * @param topic centroid of its prompt embeddings; {@code null} when embeddings are off
 */
public record Agent(
        String tenantId,
        String id,
        String name,
        String version,
        Application application,
        List<ToolUse> tools,
        double refusalProbability,
        double rateMultiplier,
        List<Identity> users,
        Topic topic) {

    public Agent {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(application, "application");
        tools = List.copyOf(tools);
        users = List.copyOf(users);
        if (tools.isEmpty() || users.isEmpty()) {
            throw new IllegalArgumentException("agent " + id + " needs tools and users");
        }
    }

    /** The agent key {@code tenant/agent}. */
    public String key() {
        return Topics.eventKey(tenantId, id);
    }

    /** Names of the tools it calls in normal traffic. */
    public Set<String> toolNames() {
        return tools.stream().map(use -> use.tool().name()).collect(Collectors.toUnmodifiableSet());
    }
}
