package dev.tamperwatch.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.PromptPayload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

    private static final TrafficProfile PROFILE = TrafficProfile.defaults(42);

    @Test
    void sameSeedGivesTheSameEvents() throws Exception {
        String first = digest(new TrafficGenerator(PROFILE).events(), 100_000);
        String second = digest(new TrafficGenerator(PROFILE).events(), 100_000);
        String otherSeed = digest(new TrafficGenerator(PROFILE.withSeed(43)).events(), 1_000);

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(digest(new TrafficGenerator(PROFILE).events(), 1_000));
    }

    @Test
    void everyEventIsWellFormedAndInTimeOrder() {
        EventChecks checks = new EventChecks();
        Iterator<Event> events = new TrafficGenerator(PROFILE).events();
        for (int i = 0; i < 100_000; i++) {
            checks.check(events.next());
        }
        assertThat(checks.checked()).isEqualTo(100_000);
    }

    @Test
    void boundedStreamCoversStartToEndOnly() {
        Instant end = PROFILE.start().plus(Duration.ofHours(12));
        Iterator<Event> events = new TrafficGenerator(PROFILE).events(end);
        Instant first = events.next().getEventTime();
        Instant last = first;
        while (events.hasNext()) {
            last = events.next().getEventTime();
        }
        assertThat(first).isAfterOrEqualTo(PROFILE.start());
        assertThat(last).isBefore(end).isAfter(end.minus(Duration.ofMinutes(10)));
    }

    @Test
    void agentsCallOnlyTheirOwnToolsAndTargets() {
        TrafficGenerator generator = new TrafficGenerator(PROFILE.withHistory(Duration.ofDays(5)));
        Map<String, Agent> agentsById =
                generator.population().agents().stream()
                        .collect(Collectors.toMap(Agent::id, Function.identity()));
        Iterator<Event> events = generator.events(generator.profile().historyEnd());
        Set<String> toolsCalled = new HashSet<>();
        long actions = 0;
        while (events.hasNext()) {
            Event event = events.next();
            if (event.getKind() != EventKind.AGENT_ACTION) {
                continue;
            }
            Agent agent = agentsById.get(event.getPrincipal().getId());
            AgentActionPayload action = (AgentActionPayload) event.getPayload();
            ToolUse use =
                    agent.tools().stream()
                            .filter(
                                    candidate ->
                                            candidate.tool().name().equals(action.getToolName()))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    agent.id()
                                                            + " called "
                                                            + action.getToolName()));
            assertThat(use.targets()).contains(action.getTarget());
            toolsCalled.add(agent.id() + " " + action.getToolName());
            actions++;
        }
        long toolsInSets =
                generator.population().agents().stream().mapToLong(a -> a.tools().size()).sum();
        assertThat(actions).isGreaterThan(10_000);
        assertThat((double) toolsCalled.size()).isGreaterThan(0.9 * toolsInSets);
    }

    @Test
    void agentToolSetsFollowTheCatalogue() {
        Population population = Population.of(PROFILE);

        assertThat(population.identities()).hasSize(200);
        assertThat(population.agents()).hasSize(20);
        for (Agent agent : population.agents()) {
            assertThat(agent.tools()).hasSizeBetween(3, 7);
            assertThat(agent.tools().stream().mapToDouble(ToolUse::probability).sum())
                    .isCloseTo(1.0, offset(1e-9));
            assertThat(agent.users()).allMatch(user -> user.tenantId().equals(agent.tenantId()));
            agent.tools()
                    .forEach(
                            use ->
                                    assertThat(ToolCatalog.get(use.tool().name()))
                                            .isEqualTo(use.tool()));
        }
        assertThat(population.identity("acme/u-017").id()).isEqualTo("u-017");
    }

    @Test
    void tenantsHaveTheirOwnIdentitiesAndAgents() {
        TrafficProfile profile =
                PROFILE.withTenants(List.of("acme", "globex"))
                        .withIdentitiesPerTenant(20)
                        .withAgentsPerTenant(5);
        TrafficGenerator generator = new TrafficGenerator(profile);
        Set<String> keys = new HashSet<>();
        Iterator<Event> events = generator.events(profile.start().plus(Duration.ofDays(1)));
        while (events.hasNext()) {
            Event event = events.next();
            keys.add(event.getTenantId() + "/" + event.getPrincipal().getId());
        }
        assertThat(generator.population().identities()).hasSize(40);
        assertThat(keys)
                .contains(
                        "acme/u-001",
                        "globex/u-001",
                        "globex/" + generator.population().agents().get(9).id());
    }

    @Test
    void embeddingApplicationsLimitEmbeddingsToTheirEntitiesAndKeepThemUnchanged() {
        TrafficProfile everywhere = PROFILE.withEmbeddings(true);
        TrafficProfile analyticsOnly = everywhere.withEmbeddingApplications(List.of("analytics"));
        assertThat(Population.of(analyticsOnly).agents())
                .allSatisfy(
                        agent ->
                                assertThat(agent.topic() != null)
                                        .isEqualTo(agent.application().id().equals("analytics")));
        Iterator<Event> limited = new TrafficGenerator(analyticsOnly).events();
        Iterator<Event> all = new TrafficGenerator(everywhere).events();
        Iterator<Event> plain = new TrafficGenerator(PROFILE).events();
        int embedded = 0;
        for (int i = 0; i < 20_000; i++) {
            Event event = limited.next();
            Event full = all.next();
            List<Float> embedding = embedding(event);
            if (embedding != null) {
                embedded++;
                assertThat(event.getApplicationId()).isEqualTo("analytics");
                assertThat(embedding).isEqualTo(embedding(full));
                clearEmbedding(event);
            } else if (event.getKind() != EventKind.AGENT_ACTION) {
                assertThat(event.getApplicationId()).isNotEqualTo("analytics");
            }
            assertThat(event).isEqualTo(plain.next());
        }
        assertThat(embedded).isPositive();
    }

    @Test
    void embeddingsScatterAroundTheEntityTopicAndChangeNothingElse() {
        TrafficProfile withEmbeddings = PROFILE.withEmbeddings(true);
        TrafficGenerator generator = new TrafficGenerator(withEmbeddings);
        Iterator<Event> embedded = generator.events();
        Iterator<Event> plain = new TrafficGenerator(PROFILE).events();
        for (int i = 0; i < 20_000; i++) {
            Event event = embedded.next();
            List<Float> embedding = embedding(event);
            if (event.getKind() == EventKind.AGENT_ACTION) {
                assertThat(embedding).isNull();
            } else {
                assertThat(embedding).hasSize(Topic.DIMENSIONS);
                Topic topic =
                        event.getAgent() == null
                                ? generator
                                        .population()
                                        .identity(
                                                event.getTenantId()
                                                        + "/"
                                                        + event.getPrincipal().getId())
                                        .topic()
                                : generator
                                        .population()
                                        .agent(event.getTenantId() + "/" + event.getAgent().getId())
                                        .topic();
                assertThat(topic.cosine(embedding)).isBetween(0.55, 0.85);
                clearEmbedding(event);
            }
            assertThat(event).isEqualTo(plain.next());
        }
    }

    private static List<Float> embedding(Event event) {
        if (event.getPayload() instanceof PromptPayload prompt) {
            return prompt.getEmbedding();
        }
        if (event.getPayload() instanceof OutputPayload output) {
            return output.getEmbedding();
        }
        return null;
    }

    private static void clearEmbedding(Event event) {
        if (event.getPayload() instanceof PromptPayload prompt) {
            prompt.setEmbedding(null);
            prompt.setEmbeddingModel(null);
        } else if (event.getPayload() instanceof OutputPayload output) {
            output.setEmbedding(null);
            output.setEmbeddingModel(null);
        }
    }

    /** SHA-256 over the Avro single-object encoding of the first {@code count} events. */
    static String digest(Iterator<Event> events, int count)
            throws IOException, NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < count; i++) {
            ByteBuffer encoded = events.next().toByteBuffer();
            sha256.update(encoded);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
