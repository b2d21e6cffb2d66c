package dev.tamperwatch.load;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything that shapes normal traffic; the same profile always yields the same events.
 *
 * @param seed seeds every random draw: population traits and event streams
 * @param tenants tenant ids; each gets its own identities and agents
 * @param identitiesPerTenant human {@code USER} principals per tenant, at least 1
 * @param agentsPerTenant {@code AGENT} principals per tenant, acting on behalf of its users
 * @param applications the applications identities and agents use, most used first; each names its
 *     model
 * @param start event time of the beginning of the traffic
 * @param history length of the normal history that precedes injected attacks
 * @param promptsPerIdentityHour mean prompt/output pairs per identity and hour over a day; the rate
 *     follows a day/night cycle (UTC) and each identity has a fixed personal multiplier of mean 1
 * @param runsPerAgentHour mean agent runs per agent and hour over a day, with the same cycle
 * @param embeddings whether prompts and outputs carry 384-dim all-MiniLM-L6-v2 style embeddings
 * @param embeddingApplications when {@code embeddings} is on, the ids of the applications whose
 *     identities and agents carry them; empty for all applications
 */
public record TrafficProfile(
        long seed,
        List<String> tenants,
        int identitiesPerTenant,
        int agentsPerTenant,
        List<Application> applications,
        Instant start,
        Duration history,
        double promptsPerIdentityHour,
        double runsPerAgentHour,
        boolean embeddings,
        List<String> embeddingApplications) {

    /** Default start: Monday 2026-01-05 00:00 UTC. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T00:00:00Z");

    public TrafficProfile {
        tenants = List.copyOf(tenants);
        applications = List.copyOf(applications);
        embeddingApplications = List.copyOf(embeddingApplications);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(history, "history");
        if (tenants.isEmpty() || applications.isEmpty()) {
            throw new IllegalArgumentException("need at least one tenant and one application");
        }
        if (identitiesPerTenant < 1 || agentsPerTenant < 0) {
            throw new IllegalArgumentException(
                    "need identitiesPerTenant >= 1 and agentsPerTenant >= 0");
        }
        if (!(promptsPerIdentityHour > 0) || !(runsPerAgentHour > 0)) {
            throw new IllegalArgumentException("rates must be positive");
        }
        if (history.isNegative()) {
            throw new IllegalArgumentException("history must not be negative");
        }
    }

    /**
     * Tenant {@code acme}, 200 identities, 20 agents, {@link Application#defaults()}, start {@link
     * #DEFAULT_START}, 3 days of history, 3 prompts per identity-hour, 4 runs per agent-hour, no
     * embeddings (when switched on, for every application).
     */
    public static TrafficProfile defaults(long seed) {
        return new TrafficProfile(
                seed,
                List.of("acme"),
                200,
                20,
                Application.defaults(),
                DEFAULT_START,
                Duration.ofDays(3),
                3.0,
                4.0,
                false,
                List.of());
    }

    /** {@code start + history}: where attacks may begin. */
    public Instant historyEnd() {
        return start.plus(history);
    }

    public TrafficProfile withSeed(long value) {
        return new TrafficProfile(
                value,
                tenants,
                identitiesPerTenant,
                agentsPerTenant,
                applications,
                start,
                history,
                promptsPerIdentityHour,
                runsPerAgentHour,
                embeddings,
                embeddingApplications);
    }

    public TrafficProfile withTenants(List<String> value) {
        return new TrafficProfile(
                seed,
                value,
                identitiesPerTenant,
                agentsPerTenant,
                applications,
                start,
                history,
                promptsPerIdentityHour,
                runsPerAgentHour,
                embeddings,
                embeddingApplications);
    }

    public TrafficProfile withIdentitiesPerTenant(int value) {
        return new TrafficProfile(
                seed,
                tenants,
                value,
                agentsPerTenant,
                applications,
                start,
                history,
                promptsPerIdentityHour,
                runsPerAgentHour,
                embeddings,
                embeddingApplications);
    }

    public TrafficProfile withAgentsPerTenant(int value) {
        return new TrafficProfile(
                seed,
                tenants,
                identitiesPerTenant,
                value,
                applications,
                start,
                history,
                promptsPerIdentityHour,
                runsPerAgentHour,
                embeddings,
                embeddingApplications);
    }

    public TrafficProfile withApplications(List<Application> value) {
        return new TrafficProfile(
                seed,
                tenants,
                identitiesPerTenant,
                agentsPerTenant,
                value,
                start,
                history,
                promptsPerIdentityHour,
                runsPerAgentHour,
                embeddings,
                embeddingApplications);
    }

    public TrafficProfile withStart(Instant value) {
        return new TrafficProfile(
                seed,
                tenants,
                identitiesPerTenant,
                agentsPerTenant,
                applications,
                value,
                history,
                promptsPerIdentityHour,
                runsPerAgentHour,
                embeddings,
                embeddingApplications);
    }

    public TrafficProfile withHistory(Duration value) {
        return new TrafficProfile(
                seed,
                tenants,
                identitiesPerTenant,
                agentsPerTenant,
                applications,
                start,
                value,
                promptsPerIdentityHour,
                runsPerAgentHour,
                embeddings,
                embeddingApplications);
    }

    public TrafficProfile withPromptsPerIdentityHour(double value) {
        return new TrafficProfile(
                seed,
                tenants,
                identitiesPerTenant,
                agentsPerTenant,
                applications,
                start,
                history,
                value,
                runsPerAgentHour,
                embeddings,
                embeddingApplications);
    }

    public TrafficProfile withRunsPerAgentHour(double value) {
        return new TrafficProfile(
                seed,
                tenants,
                identitiesPerTenant,
                agentsPerTenant,
                applications,
                start,
                history,
                promptsPerIdentityHour,
                value,
                embeddings,
                embeddingApplications);
    }

    public TrafficProfile withEmbeddings(boolean value) {
        return new TrafficProfile(
                seed,
                tenants,
                identitiesPerTenant,
                agentsPerTenant,
                applications,
                start,
                history,
                promptsPerIdentityHour,
                runsPerAgentHour,
                value,
                embeddingApplications);
    }

    public TrafficProfile withEmbeddingApplications(List<String> value) {
        return new TrafficProfile(
                seed,
                tenants,
                identitiesPerTenant,
                agentsPerTenant,
                applications,
                start,
                history,
                promptsPerIdentityHour,
                runsPerAgentHour,
                embeddings,
                value);
    }

    /** Whether identities and agents of {@code application} carry embeddings. */
    public boolean embeds(Application application) {
        return embeddings
                && (embeddingApplications.isEmpty()
                        || embeddingApplications.contains(application.id()));
    }
}
