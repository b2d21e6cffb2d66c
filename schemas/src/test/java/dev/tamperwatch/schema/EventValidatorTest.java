package dev.tamperwatch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.AgentRef;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.Principal;
import dev.tamperwatch.schema.avro.PrincipalType;
import dev.tamperwatch.schema.avro.PromptPayload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventValidatorTest {

    @ParameterizedTest
    @MethodSource("dev.tamperwatch.schema.TestEvents#all")
    void acceptsValidEvents(Event event) {
        assertThatCode(() -> TestEvents.VALIDATOR.validate(event)).doesNotThrowAnyException();
    }

    private static Arguments bad(
            String description,
            Event base,
            Consumer<Event> change,
            String field,
            String messageFragment) {
        return Arguments.of(description, base, change, field, messageFragment);
    }

    private static PromptPayload prompt(Event event) {
        return (PromptPayload) event.getPayload();
    }

    private static OutputPayload output(Event event) {
        return (OutputPayload) event.getPayload();
    }

    private static AgentActionPayload action(Event event) {
        return (AgentActionPayload) event.getPayload();
    }

    static Stream<Arguments> badEvents() {
        Event p = TestEvents.fullPrompt();
        Event o = TestEvents.fullOutput();
        Event a = TestEvents.fullAction();
        return Stream.of(
                bad("blank event_id", p, e -> e.setEventId(" "), "event_id", "must not be blank"),
                bad(
                        "event_id not a UUID",
                        p,
                        e -> e.setEventId("evt-17"),
                        "event_id",
                        "must be a UUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427, was 'evt-17'"),
                bad(
                        "event_id a lenient UUID",
                        p,
                        e -> e.setEventId("1-1-1-1-1"),
                        "event_id",
                        "must be a UUID"),
                bad(
                        "null event_time",
                        p,
                        e -> e.put("event_time", null),
                        "event_time",
                        "must not be null"),
                bad(
                        "event_time before 2000",
                        p,
                        e -> e.setEventTime(EventValidator.EARLIEST_EVENT_TIME.minusMillis(1)),
                        "event_time",
                        "1999-12-31T23:59:59.999Z is before 2000-01-01T00:00:00Z"),
                bad(
                        "event_time too far ahead",
                        p,
                        e ->
                                e.setEventTime(
                                        TestEvents.CLOCK
                                                .instant()
                                                .plus(Duration.ofDays(1))
                                                .plusMillis(1)),
                        "event_time",
                        "2026-05-02T10:16:30.124Z is more than PT24H after the current time"
                                + " 2026-05-01T10:16:30.123Z"),
                bad("null kind", p, e -> e.setKind(null), "kind", "must not be null"),
                bad("blank tenant", p, e -> e.setTenantId(""), "tenant_id", "must not be blank"),
                bad(
                        "null principal",
                        p,
                        e -> e.setPrincipal(null),
                        "principal",
                        "must not be null"),
                bad(
                        "blank principal id",
                        p,
                        e -> e.setPrincipal(new Principal(PrincipalType.USER, "\t")),
                        "principal.id",
                        "must not be blank"),
                bad(
                        "null principal type",
                        p,
                        e -> e.setPrincipal(new Principal(null, "u")),
                        "principal.type",
                        "must not be null"),
                bad(
                        "blank on_behalf_of id",
                        p,
                        e -> e.setOnBehalfOf(new Principal(PrincipalType.USER, "")),
                        "on_behalf_of.id",
                        "must not be blank"),
                bad(
                        "blank agent id",
                        p,
                        e -> e.setAgent(new AgentRef("", null, null)),
                        "agent.id",
                        "must not be blank"),
                bad(
                        "null attribute value",
                        p,
                        e -> e.getAttributes().put("k", null),
                        "attributes.k",
                        "must not be null"),
                bad("null payload", p, e -> e.setPayload(null), "payload", "must not be null"),
                bad(
                        "kind does not match payload",
                        p,
                        e -> e.setKind(EventKind.OUTPUT),
                        "payload",
                        "kind OUTPUT needs payload OutputPayload, was PromptPayload"),
                bad(
                        "upper-case content digest",
                        p,
                        e -> prompt(e).setContentSha256(TestEvents.SHA.toUpperCase()),
                        "payload.content_sha256",
                        "must be 64 lower-case hex characters, was '2CF24DBA"),
                bad(
                        "short content digest",
                        o,
                        e -> output(e).setContentSha256("abc"),
                        "payload.content_sha256",
                        "was 'abc'"),
                bad(
                        "negative length",
                        p,
                        e -> prompt(e).setLengthChars(-1),
                        "payload.length_chars",
                        "must be >= 0, was -1"),
                bad(
                        "negative input tokens",
                        p,
                        e -> prompt(e).setInputTokens(-2),
                        "payload.input_tokens",
                        "must be >= 0, was -2"),
                bad(
                        "negative output tokens",
                        o,
                        e -> output(e).setOutputTokens(-3),
                        "payload.output_tokens",
                        "must be >= 0, was -3"),
                bad(
                        "negative latency",
                        o,
                        e -> output(e).setLatencyMs(-5L),
                        "payload.latency_ms",
                        "must be >= 0, was -5"),
                bad(
                        "null source",
                        p,
                        e -> prompt(e).setSource(null),
                        "payload.source",
                        "must not be null"),
                bad(
                        "embedding of the wrong dimension",
                        p,
                        e -> prompt(e).getEmbedding().remove(0),
                        "payload.embedding",
                        "length 383 does not match dimension 384 of embedding_model"
                                + " all-MiniLM-L6-v2"),
                bad(
                        "NaN in embedding",
                        p,
                        e -> prompt(e).getEmbedding().set(17, Float.NaN),
                        "payload.embedding[17]",
                        "NaN is not allowed"),
                bad(
                        "infinity in embedding",
                        o,
                        e -> output(e).getEmbedding().set(0, Float.POSITIVE_INFINITY),
                        "payload.embedding[0]",
                        "Infinity is not allowed"),
                bad(
                        "null in embedding",
                        o,
                        e -> output(e).getEmbedding().set(3, null),
                        "payload.embedding[3]",
                        "must not be null"),
                bad(
                        "empty embedding",
                        p,
                        e -> prompt(e).setEmbedding(new ArrayList<>()),
                        "payload.embedding",
                        "must not be empty"),
                bad(
                        "embedding without model",
                        o,
                        e -> output(e).setEmbeddingModel(null),
                        "payload.embedding_model",
                        "required when an embedding is present"),
                bad(
                        "too long for an unknown model",
                        p,
                        e -> {
                            prompt(e).setEmbeddingModel("in-house-v1");
                            prompt(e).setEmbedding(TestEvents.embedding(8193));
                        },
                        "payload.embedding",
                        "length 8193 exceeds 8192, the limit for the unregistered embedding_model"
                                + " in-house-v1"),
                bad(
                        "blank tool name",
                        a,
                        e -> action(e).setToolName(" "),
                        "payload.tool_name",
                        "must not be blank"),
                bad(
                        "bad arguments digest",
                        a,
                        e -> action(e).setArgumentsSha256("zz"),
                        "payload.arguments_sha256",
                        "must be 64 lower-case hex characters"),
                bad(
                        "negative step",
                        a,
                        e -> action(e).setStep(-1),
                        "payload.step",
                        "must be >= 0, was -1"),
                bad(
                        "null argument key",
                        a,
                        e -> action(e).setArgumentKeys(new ArrayList<>(Arrays.asList("a", null))),
                        "payload.argument_keys[1]",
                        "must not be null"),
                bad(
                        "null caused_by",
                        a,
                        e -> action(e).setCausedBy(null),
                        "payload.caused_by",
                        "must not be null"),
                bad(
                        "null status",
                        a,
                        e -> action(e).setStatus(null),
                        "payload.status",
                        "must not be null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void namesTheFieldOfEveryProblem(
            String description,
            Event base,
            Consumer<Event> change,
            String field,
            String messageFragment) {
        Event event = TestEvents.copy(base);
        change.accept(event);

        assertThatThrownBy(() -> TestEvents.VALIDATOR.validate(event))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith(field + ": ")
                .hasMessageContaining(messageFragment)
                .extracting(e -> ((MalformedEventException) e).field())
                .isEqualTo(field);
    }

    @Test
    void acceptsAnyDimensionUpToTheLimitForUnknownModels() {
        Event event = TestEvents.copy(TestEvents.fullPrompt());
        prompt(event).setEmbeddingModel("in-house-v1");
        prompt(event).setEmbedding(TestEvents.embedding(8192));

        assertThatCode(() -> TestEvents.VALIDATOR.validate(event)).doesNotThrowAnyException();
    }

    @Test
    void registeredModelsOverrideTheDefaults() {
        Event event = TestEvents.copy(TestEvents.fullPrompt());
        prompt(event).setEmbeddingModel("in-house-v1");
        prompt(event).setEmbedding(TestEvents.embedding(100));
        EventValidator validator =
                TestEvents.VALIDATOR.withEmbeddingModels(
                        EmbeddingModels.defaults().with("in-house-v1", 128));

        assertThatThrownBy(() -> validator.validate(event))
                .hasMessage(
                        "payload.embedding: length 100 does not match dimension 128 of"
                                + " embedding_model in-house-v1");
    }

    @Test
    void futureSkewIsConfigurable() {
        Event event = TestEvents.copy(TestEvents.minimalPrompt());
        event.setEventTime(TestEvents.CLOCK.instant().plusSeconds(11));

        assertThatCode(() -> TestEvents.VALIDATOR.validate(event)).doesNotThrowAnyException();
        assertThatThrownBy(
                        () ->
                                TestEvents.VALIDATOR
                                        .withMaxFutureSkew(Duration.ofSeconds(10))
                                        .validate(event))
                .hasMessageContaining("is more than PT10S after the current time");
        assertThatThrownBy(() -> TestEvents.VALIDATOR.withMaxFutureSkew(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isSerializable() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(TestEvents.VALIDATOR);
        }
        EventValidator copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (EventValidator) in.readObject();
        }
        Event tooLate = TestEvents.copy(TestEvents.minimalPrompt());
        tooLate.setEventTime(TestEvents.CLOCK.instant().plus(Duration.ofDays(2)));

        assertThatCode(() -> copy.validate(TestEvents.fullPrompt())).doesNotThrowAnyException();
        assertThatThrownBy(() -> copy.validate(tooLate)).hasMessageStartingWith("event_time: ");
    }

    @Test
    void embeddingModelsKnowTheWellKnownDimensions() {
        EmbeddingModels models = EmbeddingModels.defaults();

        assertThat(
                        List.of(
                                        "all-MiniLM-L6-v2",
                                        "all-mpnet-base-v2",
                                        "text-embedding-3-small",
                                        "text-embedding-3-large",
                                        "text-embedding-ada-002",
                                        "nomic-embed-text",
                                        "bge-small-en-v1.5")
                                .stream()
                                .map(name -> models.dimensionOf(name).getAsInt()))
                .containsExactly(384, 768, 1536, 3072, 1536, 768, 384);
        assertThat(models.dimensionOf("unknown")).isEmpty();
        assertThat(models.dimensionOf(null)).isEmpty();
        assertThat(models.with("x", 3).dimensionOf("x")).hasValue(3);
        assertThat(models.dimensionOf("x")).isEmpty();
        assertThatThrownBy(() -> models.with("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
