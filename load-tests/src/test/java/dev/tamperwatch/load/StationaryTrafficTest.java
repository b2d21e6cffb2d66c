package dev.tamperwatch.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.PrincipalType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Normal traffic is stationary per identity: over a long stream each identity's refusal rate and
 * prompt rate match its drawn traits. Seeded; tolerances are 4.5 standard errors per identity, so a
 * spurious failure over 40 identities has probability below 1e-4.
 */
@Tag("statistical")
class StationaryTrafficTest {

    private static final int IDENTITIES = 40;
    private static final int DAYS = 60;

    @Test
    void refusalAndPromptRatesMatchEachIdentitysTraits() {
        TrafficProfile profile =
                TrafficProfile.defaults(7)
                        .withIdentitiesPerTenant(IDENTITIES)
                        .withAgentsPerTenant(0)
                        .withHistory(Duration.ofDays(DAYS));
        TrafficGenerator generator = new TrafficGenerator(profile);
        Map<String, long[]> outputsAndRefusals = new HashMap<>();
        Iterator<Event> events = generator.events(profile.historyEnd());
        while (events.hasNext()) {
            Event event = events.next();
            assertThat(event.getPrincipal().getType()).isEqualTo(PrincipalType.USER);
            if (event.getKind() == EventKind.OUTPUT) {
                long[] counts =
                        outputsAndRefusals.computeIfAbsent(
                                event.getTenantId() + "/" + event.getPrincipal().getId(),
                                key -> new long[2]);
                counts[0]++;
                if (((OutputPayload) event.getPayload()).getRefused()) {
                    counts[1]++;
                }
            }
        }

        double hours = DAYS * 24.0;
        for (Identity identity : generator.population().identities()) {
            long[] counts = outputsAndRefusals.get(identity.key());
            double p = identity.refusalProbability();
            double observed = (double) counts[1] / counts[0];
            assertThat(observed)
                    .as("refusal rate of %s", identity.key())
                    .isCloseTo(p, offset(4.5 * Math.sqrt(p * (1 - p) / counts[0])));
            double expectedPairs =
                    profile.promptsPerIdentityHour() * identity.rateMultiplier() * hours;
            // Turns come in conversations of a geometric number K of turns (mean 3, E[K^2] = 15):
            // the count is compound Poisson with variance 15/3 = 5 times its mean.
            assertThat((double) counts[0])
                    .as("prompt count of %s", identity.key())
                    .isCloseTo(expectedPairs, offset(4.5 * Math.sqrt(5 * expectedPairs)));
        }
    }
}
