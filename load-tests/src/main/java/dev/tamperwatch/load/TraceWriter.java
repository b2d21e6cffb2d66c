package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.ActionStatus;
import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.PromptPayload;
import dev.tamperwatch.schema.avro.PromptSource;
import dev.tamperwatch.schema.avro.Trust;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes the events of one trace: fresh event and span ids, content digests of synthetic stand-in
 * texts unique to each event, and the envelope's common fields. Every id comes from the given
 * random, so a seeded random gives the same events. Every event owns its nested records and
 * collections, so consumers may modify them.
 */
final class TraceWriter {

    private static final HexFormat HEX = HexFormat.of();
    private static final int CHARS_PER_TOKEN = 4;
    private static final Map<String, String> CHAT = operation("chat");
    private static final Map<String, String> INVOKE_AGENT = operation("invoke_agent");
    private static final Map<String, String> EXECUTE_TOOL = operation("execute_tool");

    private final Sha256 sha256;
    private final SplittableRandom random;
    private final Envelope envelope;
    private final String traceId;
    private final Consumer<Event> out;

    TraceWriter(Sha256 sha256, SplittableRandom random, Envelope envelope, Consumer<Event> out) {
        this.sha256 = sha256;
        this.random = random;
        this.envelope = envelope;
        this.traceId = HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
        this.out = out;
    }

    /** Emits a prompt; {@code parent} is the span it belongs under, {@code null} for a root. */
    Event prompt(
            long millis,
            Event parent,
            PromptSource source,
            Trust trust,
            int lengthChars,
            List<Float> embedding) {
        String eventId = uuid();
        PromptPayload payload =
                new PromptPayload(
                        sha256.of("prompt " + envelope.principalId() + " " + eventId),
                        lengthChars,
                        tokens(lengthChars),
                        source,
                        trust,
                        embedding,
                        embedding == null ? null : Topic.EMBEDDING_MODEL);
        return emit(eventId, millis, EventKind.PROMPT, parent, promptOperation(), payload);
    }

    /** Emits the output answering {@code prompt}; latency is the time since the prompt. */
    Event output(
            long millis,
            Event prompt,
            Event parent,
            int lengthChars,
            boolean refused,
            String refusalCategory,
            String finishReason,
            List<Float> embedding) {
        String eventId = uuid();
        OutputPayload payload =
                new OutputPayload(
                        prompt.getEventId(),
                        sha256.of("output " + envelope.principalId() + " " + eventId),
                        lengthChars,
                        tokens(lengthChars),
                        finishReason,
                        refused,
                        refusalCategory,
                        embedding,
                        embedding == null ? null : Topic.EMBEDDING_MODEL,
                        millis - prompt.getEventTime().toEpochMilli());
        return emit(eventId, millis, EventKind.OUTPUT, parent, promptOperation(), payload);
    }

    /** Emits a tool call of an agent run under the run's root span. */
    Event action(
            long millis,
            Event root,
            Tool tool,
            String target,
            ActionStatus status,
            List<String> causedBy,
            int step) {
        String eventId = uuid();
        StringBuilder arguments = new StringBuilder(tool.name()).append('(');
        for (String key : tool.argumentKeys()) {
            arguments.append(key).append('=').append(random.nextLong()).append(',');
        }
        AgentActionPayload payload =
                new AgentActionPayload(
                        tool.name(),
                        tool.type(),
                        "call_" + HEX.toHexDigits(random.nextLong()),
                        sha256.of(arguments.append(')').toString()),
                        new ArrayList<>(tool.argumentKeys()),
                        target,
                        status,
                        new ArrayList<>(causedBy),
                        step);
        return emit(eventId, millis, EventKind.AGENT_ACTION, root, EXECUTE_TOOL, payload);
    }

    private Event emit(
            String eventId,
            long millis,
            EventKind kind,
            Event parent,
            Map<String, String> attributes,
            Object payload) {
        Event event =
                new Event(
                        eventId,
                        Instant.ofEpochMilli(millis),
                        kind,
                        envelope.tenantId(),
                        envelope.principal(),
                        envelope.onBehalfOf(),
                        envelope.application().id(),
                        envelope.agentRef(),
                        envelope.sessionId(),
                        envelope.conversationId(),
                        traceId,
                        HEX.toHexDigits(random.nextLong()),
                        parent == null ? null : parent.getSpanId(),
                        envelope.model(),
                        new HashMap<>(attributes),
                        payload);
        out.accept(event);
        return event;
    }

    private Map<String, String> promptOperation() {
        return envelope.agent() == null ? CHAT : INVOKE_AGENT;
    }

    private String uuid() {
        return uuid(random);
    }

    /** A random (version 4) UUID in canonical text form. */
    static String uuid(SplittableRandom random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static int tokens(int lengthChars) {
        return Math.max(1, (lengthChars + CHARS_PER_TOKEN / 2) / CHARS_PER_TOKEN);
    }

    private static Map<String, String> operation(String name) {
        return Map.of("gen_ai.operation.name", name);
    }
}
