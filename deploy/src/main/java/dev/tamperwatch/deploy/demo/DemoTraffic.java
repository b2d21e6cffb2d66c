package dev.tamperwatch.deploy.demo;

import dev.tamperwatch.load.Agent;
import dev.tamperwatch.load.DataExfiltration;
import dev.tamperwatch.load.Identity;
import dev.tamperwatch.load.JailbreakCampaign;
import dev.tamperwatch.load.ModelPoisoning;
import dev.tamperwatch.load.OutputManipulation;
import dev.tamperwatch.load.Population;
import dev.tamperwatch.load.PromptInjection;
import dev.tamperwatch.load.ScenarioPlan;
import dev.tamperwatch.load.TrafficProfile;
import dev.tamperwatch.schema.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The demo's scenario: days of normal history for a tenant, then the attacks. Identities and agents
 * of the {@link #EMBEDDING_APPLICATION} application carry 384-dimension embeddings on their prompts
 * and outputs; the others carry none, which keeps the events small.
 */
final class DemoTraffic {

    /** History replayed before the attacks; long enough for every baseline to be warm. */
    static final Duration HISTORY = Duration.ofDays(2);

    /** The application whose prompts and outputs carry embeddings. */
    static final String EMBEDDING_APPLICATION = "analytics";

    /** UTC hour at which the history ends: attacks run in the afternoon, when agents are busy. */
    static final int LIVE_HOUR = 10;

    /**
     * A prompt injection dense enough for the window shift test: two days of history are far too
     * few for never-seen-tool novelty at one false alarm per hundred agent-windows, which needs
     * weeks.
     */
    private static final PromptInjection HIJACK =
            new PromptInjection(null, 10, 12, Duration.ofMinutes(30));

    /**
     * Slow poisoning of the embedding application's model: its outputs drift towards one topic over
     * the last day of history, then stay there through the live part.
     */
    private static final Duration POISONING_RAMP = Duration.ofHours(24);

    /** Which detector family is meant to catch each scenario. */
    private static final Map<String, String> EXPECTED_DETECTORS =
            Map.of(
                    JailbreakCampaign.NAME, "refusal-rate",
                    PromptInjection.NAME, "tool-call-distribution",
                    OutputManipulation.NAME, "embedding-drift",
                    ModelPoisoning.NAME, "embedding-drift",
                    DataExfiltration.NAME, "usage");

    /**
     * Which of its family's tests is meant to catch a scenario, where one test is: a poisoned
     * model's outputs also reach it through the manipulated agent, which the other tests see.
     */
    private static final Map<String, String> EXPECTED_MEASURES =
            Map.of(ModelPoisoning.NAME, "embedding_drift_mmd2");

    private DemoTraffic() {}

    /**
     * Plans the demo so that its history ends at {@link #LIVE_HOUR} UTC at least eight hours before
     * {@code now}, and the live part stays in the past of the wall clock.
     */
    static ScenarioPlan plan(long seed, int identities, int agents, Instant now) {
        Instant historyEnd = historyEnd(now);
        TrafficProfile profile =
                TrafficProfile.defaults(seed)
                        .withIdentitiesPerTenant(identities)
                        .withAgentsPerTenant(agents)
                        .withStart(historyEnd.minus(HISTORY))
                        .withHistory(HISTORY)
                        .withEmbeddings(true)
                        .withEmbeddingApplications(List.of(EMBEDDING_APPLICATION));
        return ScenarioPlan.builder(profile)
                .attack(Duration.ofMinutes(15), DataExfiltration.against(busiestIdentity(profile)))
                .attack(Duration.ofMinutes(5), JailbreakCampaign.randomIdentity())
                .attack(Duration.ofMinutes(20), HIJACK)
                .attack(
                        Duration.ofMinutes(10),
                        OutputManipulation.against(busiestEmbeddingAgent(profile).key()))
                .attack(
                        POISONING_RAMP.negated(),
                        new ModelPoisoning(
                                embeddingModelKey(profile),
                                POISONING_RAMP,
                                Duration.ofHours(3),
                                1.0))
                .build();
    }

    /** The detector family meant to catch {@code scenario}, or null when none is named. */
    static String expectedDetector(String scenario) {
        return EXPECTED_DETECTORS.get(scenario);
    }

    /** The test of that family meant to catch {@code scenario}, or null for any of them. */
    static String expectedMeasure(String scenario) {
        return EXPECTED_MEASURES.get(scenario);
    }

    static Instant historyEnd(Instant now) {
        Instant latest = now.minus(Duration.ofHours(8)).truncatedTo(ChronoUnit.HOURS);
        Instant day = latest.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(LIVE_HOUR));
        return day.isAfter(latest) ? day.minus(Duration.ofDays(1)) : day;
    }

    /** The model of the application whose traffic carries embeddings, {@code tenant/model}. */
    private static String embeddingModelKey(TrafficProfile profile) {
        Agent agent = busiestEmbeddingAgent(profile);
        return Topics.eventKey(agent.tenantId(), agent.application().model().name());
    }

    /**
     * The identity that chats most often: the per-output size test scores once 200 outputs have
     * been learned, which two days of history give only the busier identities.
     */
    private static String busiestIdentity(TrafficProfile profile) {
        return Population.of(profile).identities().stream()
                .max(Comparator.comparingDouble(Identity::rateMultiplier))
                .orElseThrow(() -> new NoSuchElementException("no identity"))
                .key();
    }

    /**
     * The agent with embeddings that runs most often: the per-event outlier test needs 200 learned
     * outputs, which two days of history give only the busier agents.
     */
    private static Agent busiestEmbeddingAgent(TrafficProfile profile) {
        return Population.of(profile).agents().stream()
                .filter(agent -> agent.topic() != null)
                .max(Comparator.comparingDouble(Agent::rateMultiplier))
                .orElseThrow(
                        () -> new NoSuchElementException("no agent of " + EMBEDDING_APPLICATION));
    }
}
