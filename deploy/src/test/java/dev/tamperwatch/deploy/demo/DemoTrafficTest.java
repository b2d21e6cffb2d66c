package dev.tamperwatch.deploy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.load.Label;
import dev.tamperwatch.load.ScenarioPlan;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.PromptPayload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTrafficTest {

    private static final Instant NOW = Instant.parse("2026-11-26T09:41:00Z");
    private static final ScenarioPlan PLAN = DemoTraffic.plan(42, 200, 20, NOW);

    @Test
    void historyEndsAtTheLiveHourAtLeastEightHoursAgo() {
        assertThat(DemoTraffic.historyEnd(NOW)).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(DemoTraffic.historyEnd(Instant.parse("2026-11-26T20:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(PLAN.historyEnd().atZone(ZoneOffset.UTC).getHour())
                .isEqualTo(DemoTraffic.LIVE_HOUR);
    }

    @Test
    void fiveAttacksOnDistinctSubjectsEachWithTheFamilyMeantToCatchIt() {
        assertThat(PLAN.targets())
                .extracting(Label::scenario)
                .containsExactly(
                        "data-exfiltration",
                        "jailbreak-campaign",
                        "prompt-injection",
                        "output-manipulation",
                        "model-poisoning");
        assertThat(PLAN.targets()).extracting(Label::key).doesNotHaveDuplicates();
        assertThat(PLAN.targets())
                .allSatisfy(
                        t -> assertThat(DemoTraffic.expectedDetector(t.scenario())).isNotNull());
        assertThat(DemoTraffic.expectedDetector("output-manipulation"))
                .isEqualTo("embedding-drift");
        assertThat(DemoTraffic.expectedDetector("data-exfiltration")).isEqualTo("usage");
        Label poisoned = PLAN.targets().get(4);
        assertThat(poisoned.key()).isEqualTo("acme/gpt-4.1-mini");
        assertThat(poisoned.start()).isEqualTo(PLAN.historyEnd().minus(Duration.ofHours(24)));
        assertThat(DemoTraffic.expectedMeasure("model-poisoning"))
                .isEqualTo("embedding_drift_mmd2");
    }

    @Test
    void onlyTheEmbeddingApplicationCarriesEmbeddingsAndTheTargetsOfPerEventTestsAreWarm() {
        Label exfiltrating = PLAN.targets().get(0);
        Label manipulated = PLAN.targets().get(3);
        Iterator<Event> events = PLAN.events(PLAN.historyEnd());
        long total = 0;
        long embedded = 0;
        long targetOutputs = 0;
        long identityOutputs = 0;
        while (events.hasNext()) {
            Event event = events.next();
            total++;
            List<Float> embedding =
                    event.getPayload() instanceof OutputPayload output
                            ? output.getEmbedding()
                            : event.getPayload() instanceof PromptPayload prompt
                                    ? prompt.getEmbedding()
                                    : null;
            if (embedding != null) {
                embedded++;
                assertThat(event.getApplicationId()).isEqualTo(DemoTraffic.EMBEDDING_APPLICATION);
                assertThat(embedding).hasSize(384);
            }
            if (event.getPayload() instanceof OutputPayload
                    && event.getAgent() != null
                    && manipulated.key().equals("acme/" + event.getAgent().getId())) {
                targetOutputs++;
            }
            if (event.getPayload() instanceof OutputPayload
                    && exfiltrating.key().equals("acme/" + event.getPrincipal().getId())) {
                identityOutputs++;
            }
        }
        assertThat(total).isBetween(75_000L, 95_000L);
        assertThat(embedded).isBetween(total / 20, total / 5);
        // the per-event outlier test scores once 200 outputs have been learned
        assertThat(targetOutputs).isGreaterThan(250);
        // so does the per-output size test
        assertThat(identityOutputs).isGreaterThan(250);
    }

    @Test
    void summaryCountsOnlyAlertsOfTheExpectedFamilyAndNamesTheTest() {
        Label manipulated = PLAN.targets().get(3);
        long during = manipulated.start().toEpochMilli() + 60_000;
        long ramping =
                PLAN.targets().get(4).start().toEpochMilli() + Duration.ofHours(13).toMillis();
        List<AlertView> alerts =
                List.of(
                        new AlertView(
                                "a",
                                during,
                                "High",
                                "activity-rate",
                                "",
                                "agent",
                                manipulated.key(),
                                null,
                                "burst"),
                        new AlertView(
                                "b",
                                during + 60_000,
                                "Critical",
                                "embedding-drift",
                                "embedding_cosine_distance",
                                "agent",
                                manipulated.key(),
                                null,
                                "far"),
                        new AlertView(
                                "c",
                                during,
                                "Low",
                                "embedding-drift",
                                "embedding_cosine_distance",
                                "model",
                                "acme/gpt-4.1-mini",
                                null,
                                "far"),
                        new AlertView(
                                "d",
                                ramping,
                                "Low",
                                "embedding-drift",
                                "embedding_drift_mmd2",
                                "model",
                                "acme/gpt-4.1-mini",
                                null,
                                "slow drift"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DemoSummary(PLAN, alerts, PLAN.attacksEnd().plusSeconds(7200))
                .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String summary = bytes.toString(StandardCharsets.UTF_8);

        assertThat(summary)
                .containsPattern(
                        "DETECTED  output-manipulation .*by embedding-drift \\(per-event"
                                + " outlier\\), 2 min after")
                .containsPattern(
                        "DETECTED  model-poisoning .*by embedding-drift \\(fast-versus-slow"
                                + " drift\\), 780 min after")
                .contains("MISSED    jailbreak-campaign")
                .contains(
                        "2 of 5 attacks detected; 4 alerts in total, 0 on identities or agents"
                                + " that were not attacked\n");
    }
}
