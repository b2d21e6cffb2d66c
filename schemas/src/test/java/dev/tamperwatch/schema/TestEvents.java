package dev.tamperwatch.schema;

import dev.tamperwatch.schema.avro.ActionStatus;
import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.AgentRef;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.ModelRef;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.Principal;
import dev.tamperwatch.schema.avro.PrincipalType;
import dev.tamperwatch.schema.avro.PromptPayload;
import dev.tamperwatch.schema.avro.PromptSource;
import dev.tamperwatch.schema.avro.Trust;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Valid events of every kind, with all fields set or only the required ones. */
final class TestEvents {

    static final Instant TIME = Instant.parse("2026-05-01T10:15:30.123Z");
    static final Clock CLOCK = Clock.fixed(TIME.plusSeconds(60), ZoneOffset.UTC);
    static final EventValidator VALIDATOR = new EventValidator().withClock(CLOCK);

    static final String PROMPT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    static final String OUTPUT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    static final String ACTION_ID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
    static final String SHA = Hashing.sha256Hex("hello");

    private TestEvents() {}

    static Stream<Event> all() {
        return Stream.of(
                fullPrompt(),
                minimalPrompt(),
                fullOutput(),
                minimalOutput(),
                fullAction(),
                minimalAction());
    }

    static Event fullPrompt() {
        PromptPayload payload = new PromptPayload();
        payload.setContentSha256(SHA);
        payload.setLengthChars(5);
        payload.setInputTokens(2);
        payload.setSource(PromptSource.RETRIEVED_DOCUMENT);
        payload.setTrust(Trust.UNTRUSTED);
        payload.setEmbedding(embedding(384));
        payload.setEmbeddingModel("all-MiniLM-L6-v2");
        return full(PROMPT_ID, EventKind.PROMPT, payload);
    }

    static Event minimalPrompt() {
        return minimal(PROMPT_ID, EventKind.PROMPT, PromptPayload.newBuilder().build());
    }

    static Event fullOutput() {
        OutputPayload payload = new OutputPayload();
        payload.setInReplyTo(PROMPT_ID);
        payload.setContentSha256(SHA);
        payload.setLengthChars(88);
        payload.setOutputTokens(22);
        payload.setFinishReason("stop");
        payload.setRefused(true);
        payload.setRefusalCategory("self-harm");
        payload.setEmbedding(embedding(768));
        payload.setEmbeddingModel("nomic-embed-text");
        payload.setLatencyMs(840L);
        return full(OUTPUT_ID, EventKind.OUTPUT, payload);
    }

    static Event minimalOutput() {
        return minimal(OUTPUT_ID, EventKind.OUTPUT, OutputPayload.newBuilder().build());
    }

    static Event fullAction() {
        AgentActionPayload payload = new AgentActionPayload();
        payload.setToolName("send_email");
        payload.setToolType("function");
        payload.setToolCallId("call-1");
        payload.setArgumentsSha256(SHA);
        payload.setArgumentKeys(new ArrayList<>(List.of("body", "to")));
        payload.setTarget("bob@example.com");
        payload.setStatus(ActionStatus.DENIED);
        payload.setCausedBy(new ArrayList<>(List.of(PROMPT_ID, OUTPUT_ID)));
        payload.setStep(3);
        return full(ACTION_ID, EventKind.AGENT_ACTION, payload);
    }

    static Event minimalAction() {
        return minimal(
                ACTION_ID,
                EventKind.AGENT_ACTION,
                AgentActionPayload.newBuilder().setToolName("search").build());
    }

    private static Event full(String id, EventKind kind, Object payload) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("region", "eu-west-1");
        attributes.put("note", "ünïcødé ✓");
        return Event.newBuilder()
                .setEventId(id)
                .setEventTime(TIME)
                .setKind(kind)
                .setTenantId("acme")
                .setPrincipal(new Principal(PrincipalType.AGENT, "crm/agent-1"))
                .setOnBehalfOf(new Principal(PrincipalType.USER, "u-17"))
                .setApplicationId("crm")
                .setAgent(new AgentRef("crm/agent-1", "Helper", "1.4.0"))
                .setSessionId("s-1")
                .setConversationId("c-1")
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .setSpanId("00f067aa0ba902b7")
                .setParentSpanId("00f067aa0ba902b6")
                .setModel(new ModelRef("openai", "gpt-4o", "2024-08-06", SHA, SHA))
                .setAttributes(attributes)
                .setPayload(payload)
                .build();
    }

    private static Event minimal(String id, EventKind kind, Object payload) {
        return Event.newBuilder()
                .setEventId(id)
                .setEventTime(TIME)
                .setKind(kind)
                .setTenantId("acme")
                .setPrincipal(new Principal(PrincipalType.USER, "u-17"))
                .setPayload(payload)
                .build();
    }

    static List<Float> embedding(int dimension) {
        List<Float> values = new ArrayList<>(dimension);
        for (int i = 0; i < dimension; i++) {
            values.add((float) Math.sin(i * 0.37) / (i + 1));
        }
        return values;
    }

    /** A deep copy to mutate. */
    static Event copy(Event event) {
        return Event.newBuilder(event).build();
    }
}
