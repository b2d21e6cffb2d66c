package dev.tamperwatch.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScenarioPlanTest {

    private static final TrafficProfile PROFILE =
            TrafficProfile.defaults(11).withHistory(Duration.ofDays(1));

    private static final ScenarioPlan PLAN =
            ScenarioPlan.builder(PROFILE)
                    .attack(Duration.ofMinutes(10), JailbreakCampaign.randomIdentity())
                    .attack(Duration.ofMinutes(30), PromptInjection.randomAgent())
                    .build();

    @Test
    void attacksStartAtTheirOffsetAfterTheHistory() {
        List<Label> targets = PLAN.targets();

        assertThat(targets)
                .extracting(Label::incidentId, Label::scenario, Label::keyType, Label::start)
                .containsExactly(
                        tuple(
                                "jailbreak-campaign-1",
                                "jailbreak-campaign",
                                Label.KeyType.PRINCIPAL,
                                PROFILE.historyEnd().plus(Duration.ofMinutes(10))),
                        tuple(
                                "prompt-injection-2",
                                "prompt-injection",
                                Label.KeyType.AGENT,
                                PROFILE.historyEnd().plus(Duration.ofMinutes(30))));
        assertThat(targets.get(0).end())
                .isEqualTo(targets.get(0).start().plus(Duration.ofHours(1)));
        assertThat(PLAN.attacksEnd()).isEqualTo(targets.get(0).end());
        assertThat(PLAN.labels()).hasSizeBetween(2 + 4, 2 + 6);
    }

    @Test
    void jailbreakSpikesTheIdentitysPromptAndRefusalRateInItsWindow() {
        Label target = PLAN.injections().get(0).target();
        int[] inWindow = new int[2];
        int[] history = new int[2];
        Iterator<Event> events = PLAN.events(target.end().plus(Duration.ofMinutes(5)));
        while (events.hasNext()) {
            Event event = events.next();
            if (event.getKind() != EventKind.OUTPUT || !key(event).equals(target.key())) {
                continue;
            }
            int[] counts = target.covers(event.getEventTime()) ? inWindow : history;
            counts[0]++;
            if (((OutputPayload) event.getPayload()).getRefused()) {
                counts[1]++;
            }
        }

        assertThat(inWindow[0]).isBetween(40, 70);
        assertThat((double) inWindow[1] / inWindow[0]).isBetween(0.3, 0.7);
        assertThat(history[0]).isPositive();
        assertThat((double) history[1] / history[0]).isLessThan(0.2);
    }

    @Test
    void promptInjectionMakesTheAgentCallForeignToolsCausedByUntrustedInput() {
        Injection injection = PLAN.injections().get(1);
        Agent agent = PLAN.population().agent(injection.target().key());
        Map<String, Label> traceLabels =
                injection.labels().stream()
                        .filter(label -> label.keyType() == Label.KeyType.TRACE)
                        .collect(Collectors.toMap(label -> label.key(), label -> label));
        assertThat(traceLabels).hasSizeBetween(4, 6);

        EventChecks checks = new EventChecks();
        Map<String, Integer> foreignCallsByTrace = new HashMap<>();
        Iterator<Event> events = PLAN.events(PLAN.attacksEnd().plus(Duration.ofMinutes(5)));
        while (events.hasNext()) {
            Event event = events.next();
            checks.check(event);
            if (event.getKind() != EventKind.AGENT_ACTION || !key(event).equals(agent.key())) {
                continue;
            }
            AgentActionPayload action = (AgentActionPayload) event.getPayload();
            if (agent.toolNames().contains(action.getToolName())) {
                continue;
            }
            Label trace = traceLabels.get(event.getTenantId() + "/" + event.getTraceId());
            assertThat(trace).as("foreign call outside a hijacked run").isNotNull();
            assertThat(trace.covers(event.getEventTime())).isTrue();
            assertThat(injection.target().covers(event.getEventTime())).isTrue();
            assertThat(PromptInjection.exfiltrationTools()).contains(action.getToolName());
            assertThat(action.getCausedBy()).anyMatch(checks::isUntrustedPrompt);
            foreignCallsByTrace.merge(trace.key(), 1, Integer::sum);
        }

        assertThat(foreignCallsByTrace.keySet()).isEqualTo(traceLabels.keySet());
        assertThat(foreignCallsByTrace.values()).allMatch(calls -> calls >= 2);
    }

    @Test
    void injectionEventsLieInTheirWindowAndLeaveNormalTrafficUnchanged() {
        Instant end = PLAN.attacksEnd().plus(Duration.ofMinutes(5));
        long injected = 0;
        for (Injection injection : PLAN.injections()) {
            Iterator<Event> events = injection.events();
            while (events.hasNext()) {
                Event event = events.next();
                assertThat(injection.target().covers(event.getEventTime())).isTrue();
                assertThat(key(event)).isEqualTo(injection.target().key());
                injected++;
            }
        }
        Iterator<Event> normal = new TrafficGenerator(PROFILE).events(end);
        Iterator<Event> merged = PLAN.events(end);
        Event expected = normal.next();
        long extra = 0;
        while (merged.hasNext()) {
            Event event = merged.next();
            if (expected != null && event.getEventId().equals(expected.getEventId())) {
                assertThat(event).isEqualTo(expected);
                expected = normal.hasNext() ? normal.next() : null;
            } else {
                extra++;
            }
        }
        assertThat(expected).isNull();
        assertThat(extra).isEqualTo(injected);
    }

    @Test
    void planIsReproducibleAndRandomTargetsAreDistinct() throws Exception {
        ScenarioPlan first = twoJailbreaks();
        ScenarioPlan second = twoJailbreaks();
        Instant end = first.attacksEnd();

        assertThat(second.labels()).isEqualTo(first.labels());
        assertThat(TrafficGeneratorTest.digest(second.events(end), 30_000))
                .isEqualTo(TrafficGeneratorTest.digest(first.events(end), 30_000));
        Set<String> keys = first.targets().stream().map(Label::key).collect(Collectors.toSet());
        assertThat(keys).hasSize(2);
    }

    @Test
    void namedTargetsAreAttacked() {
        ScenarioPlan plan =
                ScenarioPlan.builder(PROFILE)
                        .attack(Duration.ZERO, JailbreakCampaign.against("acme/u-017"))
                        .attack(Duration.ZERO, PromptInjection.against("acme/crm/agent-01"))
                        .build();

        assertThat(plan.targets())
                .extracting(Label::key)
                .containsExactly("acme/u-017", "acme/crm/agent-01");
        assertThatThrownBy(
                        () ->
                                ScenarioPlan.builder(PROFILE)
                                        .attack(
                                                Duration.ZERO,
                                                JailbreakCampaign.against("acme/nobody"))
                                        .build())
                .isInstanceOf(NoSuchElementException.class);
    }

    private static ScenarioPlan twoJailbreaks() {
        return ScenarioPlan.builder(PROFILE)
                .attack(Duration.ZERO, JailbreakCampaign.randomIdentity())
                .attack(Duration.ZERO, JailbreakCampaign.randomIdentity())
                .build();
    }

    private static String key(Event event) {
        return event.getTenantId() + "/" + event.getPrincipal().getId();
    }

    @Test
    void outputManipulationMovesOnlyTheAgentsOutputsInItsWindowToAnotherTopic() {
        TrafficProfile profile =
                PROFILE.withEmbeddings(true).withEmbeddingApplications(List.of("analytics"));
        Agent agent =
                Population.of(profile).agents().stream()
                        .filter(a -> a.topic() != null)
                        .findFirst()
                        .orElseThrow();
        ScenarioPlan plan =
                ScenarioPlan.builder(profile)
                        .attack(Duration.ofMinutes(10), OutputManipulation.against(agent.key()))
                        .build();
        Label target = plan.targets().get(0);
        assertThat(target)
                .extracting(Label::scenario, Label::keyType, Label::key)
                .containsExactly("output-manipulation", Label.KeyType.AGENT, agent.key());
        Iterator<Event> attacked = plan.events(target.end().plus(Duration.ofHours(1)));
        Iterator<Event> normal =
                ScenarioPlan.builder(profile)
                        .build()
                        .events(target.end().plus(Duration.ofHours(1)));
        int moved = 0;
        while (attacked.hasNext()) {
            Event event = attacked.next();
            Event expected = normal.next();
            boolean ofTarget =
                    event.getAgent() != null
                            && agent.key().equals("acme/" + event.getAgent().getId())
                            && event.getPayload() instanceof OutputPayload
                            && target.covers(event.getEventTime());
            if (ofTarget) {
                moved++;
                List<Float> embedding = ((OutputPayload) event.getPayload()).getEmbedding();
                assertThat(agent.topic().cosine(embedding)).isLessThan(0.3);
                ((OutputPayload) event.getPayload())
                        .setEmbedding(((OutputPayload) expected.getPayload()).getEmbedding());
            }
            assertThat(event).isEqualTo(expected);
        }
        assertThat(moved).isPositive();
        assertThat(normal.hasNext()).isFalse();
    }

    @Test
    void dataExfiltrationLengthensOnlyTheIdentitysAnswersInItsWindow() {
        Identity busiest =
                Population.of(PROFILE).identities().stream()
                        .max(Comparator.comparingDouble(Identity::rateMultiplier))
                        .orElseThrow();
        ScenarioPlan plan =
                ScenarioPlan.builder(PROFILE)
                        .attack(Duration.ofHours(10), DataExfiltration.against(busiest.key()))
                        .build();
        Label target = plan.targets().get(0);
        assertThat(target)
                .extracting(Label::scenario, Label::keyType)
                .containsExactly("data-exfiltration", Label.KeyType.PRINCIPAL);
        Iterator<Event> attacked = plan.events(target.end().plus(Duration.ofHours(1)));
        Iterator<Event> normal =
                ScenarioPlan.builder(PROFILE)
                        .build()
                        .events(target.end().plus(Duration.ofHours(1)));
        int lengthened = 0;
        while (attacked.hasNext()) {
            Event event = attacked.next();
            Event expected = normal.next();
            if (key(event).equals(target.key())
                    && event.getPayload() instanceof OutputPayload output
                    && !output.getRefused()
                    && target.covers(event.getEventTime())) {
                lengthened++;
                OutputPayload usual = (OutputPayload) expected.getPayload();
                assertThat(output.getLengthChars())
                        .isEqualTo(Math.round(usual.getLengthChars() * 25.0));
                assertThat(output.getOutputTokens())
                        .isEqualTo(Math.round(usual.getOutputTokens() * 25.0));
                output.setLengthChars(usual.getLengthChars());
                output.setOutputTokens(usual.getOutputTokens());
            }
            assertThat(event).isEqualTo(expected);
        }
        assertThat(lengthened).isPositive();
        assertThat(normal.hasNext()).isFalse();
    }

    @Test
    void dataExfiltrationNeedsAnswersToGrow() {
        assertThatThrownBy(() -> new DataExfiltration(null, Duration.ofHours(1), 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sizeFactor must be finite and above 1");
    }

    @Test
    void modelPoisoningPullsTheModelsOutputsGraduallyAndLabelsItsAgents() {
        TrafficProfile profile =
                PROFILE.withEmbeddings(true).withEmbeddingApplications(List.of("analytics"));
        ScenarioPlan plan =
                ScenarioPlan.builder(profile)
                        .attack(
                                Duration.ofHours(-12),
                                new ModelPoisoning(
                                        "acme/gpt-4.1-mini",
                                        Duration.ofHours(10),
                                        Duration.ZERO,
                                        1.0))
                        .build();
        Label target = plan.targets().get(0);
        assertThat(target.keyType()).isEqualTo(Label.KeyType.MODEL);
        assertThat(target.start()).isEqualTo(PROFILE.historyEnd().minus(Duration.ofHours(12)));
        assertThat(plan.labels())
                .extracting(Label::keyType, Label::key)
                .contains(tuple(Label.KeyType.AGENT, "acme/analytics/agent-01"));
        Iterator<Event> poisoned = plan.events(PROFILE.historyEnd());
        Iterator<Event> normal = ScenarioPlan.builder(profile).build().events(PROFILE.historyEnd());
        double early = 0;
        double late = 0;
        int earlyCount = 0;
        int lateCount = 0;
        while (poisoned.hasNext()) {
            Event event = poisoned.next();
            Event expected = normal.next();
            if (!(event.getPayload() instanceof OutputPayload output)
                    || output.getEmbedding() == null
                    || event.getEventTime().isBefore(target.start())) {
                assertThat(event).isEqualTo(expected);
                continue;
            }
            List<Float> before = ((OutputPayload) expected.getPayload()).getEmbedding();
            double cosine = 0;
            for (int i = 0; i < Topic.DIMENSIONS; i++) {
                cosine += before.get(i) * output.getEmbedding().get(i);
            }
            long sinceStart = Duration.between(target.start(), event.getEventTime()).toMinutes();
            if (sinceStart < 60) {
                early += cosine;
                earlyCount++;
            } else if (event.getEventTime().isAfter(target.end())) {
                late += cosine;
                lateCount++;
            }
        }
        assertThat(early / earlyCount).isGreaterThan(0.99);
        assertThat(late / lateCount).isBetween(0.6, 0.8);
    }

    @Test
    void attacksMayStartInsideTheHistoryButNotBeforeTheTraffic() {
        assertThatThrownBy(
                        () ->
                                ScenarioPlan.builder(PROFILE)
                                        .attack(
                                                Duration.ofDays(-2),
                                                JailbreakCampaign.randomIdentity()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
