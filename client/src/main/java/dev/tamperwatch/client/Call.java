package dev.tamperwatch.client;

import dev.tamperwatch.schema.Hashing;
import dev.tamperwatch.schema.avro.AgentRef;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.ModelRef;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an application observed, described fluently before {@link TamperwatchClient} turns it into
 * an event: start with {@link #prompt}, {@link #output} or {@link #action}. The setters here are
 * the fields every kind of event has; all are optional. Not thread-safe; one call describes one
 * event.
 *
 * @param <C> the concrete call type, returned by every setter
 */
public abstract sealed class Call<C extends Call<C>> permits PromptCall, OutputCall, ActionCall {

    private final Actor actor;
    private Actor onBehalfOf;
    private AgentRef agent;
    private String sessionId;
    private String conversationId;
    private String traceId;
    private String spanId;
    private String parentSpanId;
    private ModelRef model;
    private Instant eventTime;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    Call(Actor actor) {
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    /** A prompt (input to a model) by {@code actor}. */
    public static PromptCall prompt(Actor actor) {
        return new PromptCall(actor);
    }

    /** A model output produced for {@code actor}'s request, or by {@code actor} itself. */
    public static OutputCall output(Actor actor) {
        return new OutputCall(actor);
    }

    /** A tool call {@code toolName} (gen_ai.tool.name) made by {@code actor}, usually an agent. */
    public static ActionCall action(Actor actor, String toolName) {
        return new ActionCall(actor, toolName);
    }

    abstract C self();

    /** The human or service the actor acts for. */
    public C onBehalfOf(Actor principal) {
        this.onBehalfOf = principal;
        return self();
    }

    /** The agent involved, by id. */
    public C agent(String id) {
        return agent(id, null, null);
    }

    /** The agent involved, with its display name and version (both may be null). */
    public C agent(String id, String name, String version) {
        this.agent = new AgentRef(id, name, version);
        return self();
    }

    public C session(String sessionId) {
        this.sessionId = sessionId;
        return self();
    }

    /** gen_ai.conversation.id */
    public C conversation(String conversationId) {
        this.conversationId = conversationId;
        return self();
    }

    /** OpenTelemetry trace and span ids of the operation, to link events of one request. */
    public C trace(String traceId, String spanId) {
        this.traceId = traceId;
        this.spanId = spanId;
        return self();
    }

    public C parentSpan(String parentSpanId) {
        this.parentSpanId = parentSpanId;
        return self();
    }

    /** The model by provider (gen_ai.provider.name) and name (gen_ai.request.model). */
    public C model(String provider, String name) {
        return model(ModelRef.newBuilder().setProvider(provider).setName(name).build());
    }

    /** The model with version and weight or adapter digests. */
    public C model(ModelRef model) {
        this.model = model;
        return self();
    }

    /** A free-form attribute; replaces an earlier value for the same key. */
    public C attribute(String key, String value) {
        attributes.put(key, value);
        return self();
    }

    /** When it happened (millisecond precision); defaults to the client clock's now. */
    public C at(Instant eventTime) {
        this.eventTime = eventTime == null ? null : eventTime.truncatedTo(ChronoUnit.MILLIS);
        return self();
    }

    abstract EventKind kind();

    /** The payload record, without any raw content. */
    abstract Object payload();

    /** Raw content by attribute name, sent only when the client allows raw content. */
    abstract Map<String, String> rawContent();

    final Event toEvent(
            String eventId, Instant now, String tenantId, String applicationId, boolean withRaw) {
        Map<String, String> eventAttributes = new LinkedHashMap<>(attributes);
        if (withRaw) {
            eventAttributes.putAll(rawContent());
        }
        return Event.newBuilder()
                .setEventId(eventId)
                .setEventTime(eventTime == null ? now : eventTime)
                .setKind(kind())
                .setTenantId(tenantId)
                .setPrincipal(actor.toPrincipal())
                .setOnBehalfOf(onBehalfOf == null ? null : onBehalfOf.toPrincipal())
                .setApplicationId(applicationId)
                .setAgent(agent)
                .setSessionId(sessionId)
                .setConversationId(conversationId)
                .setTraceId(traceId)
                .setSpanId(spanId)
                .setParentSpanId(parentSpanId)
                .setModel(model)
                .setAttributes(eventAttributes)
                .setPayload(payload())
                .build();
    }

    static String sha256OrNull(String text) {
        return text == null ? null : Hashing.sha256Hex(text);
    }

    /** Length in Unicode code points, as most languages count characters. */
    static Integer lengthOrNull(String text) {
        return text == null ? null : text.codePointCount(0, text.length());
    }

    static Map<String, String> contentAttribute(String text) {
        return text == null ? Map.of() : Map.of(TamperwatchClient.CONTENT_ATTRIBUTE, text);
    }

    static List<Float> floats(float[] vector) {
        if (vector == null) {
            return null;
        }
        List<Float> values = new ArrayList<>(vector.length);
        for (float value : vector) {
            values.add(value);
        }
        return values;
    }
}
