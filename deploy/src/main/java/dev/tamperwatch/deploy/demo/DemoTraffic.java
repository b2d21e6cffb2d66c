package dev.tamperwatch.deploy.demo;

import dev.tamperwatch.load.JailbreakCampaign;
import dev.tamperwatch.load.PromptInjection;
import dev.tamperwatch.load.ScenarioPlan;
import dev.tamperwatch.load.TrafficProfile;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The demo's scenario: days of normal history for a tenant, then two attacks. */
final class DemoTraffic {

    /** History replayed before the attacks; long enough for every baseline to be warm. */
    static final Duration HISTORY = Duration.ofDays(2);

    /**
     * A prompt injection dense enough for the window shift test: two days of history are far too
     * few for never-seen-tool novelty at one false alarm per hundred agent-windows, which needs
     * weeks.
     */
    private static final PromptInjection HIJACK =
            new PromptInjection(null, 10, 12, Duration.ofMinutes(30));

    private DemoTraffic() {}

    /**
     * Plans the demo so that its history ends a few hours before {@code now}, on an hour boundary,
     * and the live part stays in the past of the wall clock.
     */
    static ScenarioPlan plan(long seed, int identities, int agents, Instant now) {
        Instant historyEnd = now.minus(Duration.ofHours(8)).truncatedTo(ChronoUnit.HOURS);
        TrafficProfile profile =
                TrafficProfile.defaults(seed)
                        .withIdentitiesPerTenant(identities)
                        .withAgentsPerTenant(agents)
                        .withStart(historyEnd.minus(HISTORY))
                        .withHistory(HISTORY);
        return ScenarioPlan.builder(profile)
                .attack(Duration.ofMinutes(5), JailbreakCampaign.randomIdentity())
                .attack(Duration.ofMinutes(20), HIJACK)
                .build();
    }
}
