package dev.tamperwatch.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON Lines form of {@link Event}: one flat JSON object per line with the Avro field names.
 * The common fields keep nested records ({@code principal}, {@code on_behalf_of}, {@code agent},
 * {@code model}) as objects; the fields of the payload sit at the top level, and {@code kind} says
 * which payload they belong to. Enums are their symbol names.
 *
 * <pre>{@code
 * {"event_id":"…","event_time":1780000016778,"kind":"OUTPUT","tenant_id":"acme",
 *  "principal":{"type":"AGENT","id":"crm/agent-1"},"in_reply_to":"…","refused":true}
 * }</pre>
 *
 * Thread-safe.
 */
public final class EventJson {

    private static final JsonMapper MAPPER =
            JsonMapper.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                    .build();

    private EventJson() {}

    /**
     * Parses one line. Absent and {@code null} optional fields take their schema default; {@code
     * event_time} is epoch milliseconds or an ISO-8601 date-time with offset (e.g. {@code
     * 2026-05-01T10:15:30.123Z}, truncated to milliseconds). Embedding values may be {@code NaN} or
     * {@code Infinity} tokens, which {@link EventValidator} then rejects. Does not validate beyond
     * what the schema needs.
     *
     * @throws MalformedEventException naming the field ({@code payload.}-prefixed for payload
     *     fields) for a missing required field, a wrong JSON type, an integer out of range, an
     *     unknown enum symbol (listing the allowed ones), an unparseable time, or a field that the
     *     event's kind does not have; naming {@code <json>} for text that is not one JSON object
     */
    public static Event parse(String line) throws MalformedEventException {
        JsonFields fields = JsonFields.of(readObject(line));
        Event.Builder event =
                Event.newBuilder()
                        .setEventId(fields.requiredString("event_id"))
                        .setEventTime(fields.requiredInstant("event_time"));
        EventKind kind = fields.requiredEnum("kind", EventKind.class);
        event.setKind(kind)
                .setTenantId(fields.requiredString("tenant_id"))
                .setPrincipal(principal(fields.requiredObject("principal")))
                .setOnBehalfOf(principal(fields.optionalObject("on_behalf_of")))
                .setApplicationId(fields.optionalString("application_id"))
                .setAgent(agent(fields.optionalObject("agent")))
                .setSessionId(fields.optionalString("session_id"))
                .setConversationId(fields.optionalString("conversation_id"))
                .setTraceId(fields.optionalString("trace_id"))
                .setSpanId(fields.optionalString("span_id"))
                .setParentSpanId(fields.optionalString("parent_span_id"))
                .setModel(model(fields.optionalObject("model")))
                .setAttributes(fields.stringMap("attributes"))
                .setPayload(payload(kind, fields.reportingAs("payload.")));
        fields.rejectUnread(article(kind) + " " + kind + " event");
        return event.build();
    }

    private static ObjectNode readObject(String line) throws MalformedEventException {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(
                    MalformedEventException.JSON,
                    "not valid JSON"
                            + (e.getLocation() == null
                                    ? ""
                                    : " at column " + e.getLocation().getColumnNr())
                            + ": "
                            + e.getOriginalMessage(),
                    e);
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedEventException(MalformedEventException.JSON, "no JSON object");
        }
        if (!root.isObject()) {
            throw new MalformedEventException(
                    MalformedEventException.JSON,
                    "expected a JSON object, was "
                            + root.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return (ObjectNode) root;
    }

    private static String article(EventKind kind) {
        return kind == EventKind.OUTPUT || kind == EventKind.AGENT_ACTION ? "an" : "a";
    }

    private static Principal principal(JsonFields fields) throws MalformedEventException {
        if (fields == null) {
            return null;
        }
        Principal principal =
                new Principal(
                        fields.requiredEnum("type", PrincipalType.class),
                        fields.requiredString("id"));
        fields.rejectUnread("Principal");
        return principal;
    }

    private static AgentRef agent(JsonFields fields) throws MalformedEventException {
        if (fields == null) {
            return null;
        }
        AgentRef agent =
                new AgentRef(
                        fields.requiredString("id"),
                        fields.optionalString("name"),
                        fields.optionalString("version"));
        fields.rejectUnread("AgentRef");
        return agent;
    }

    private static ModelRef model(JsonFields fields) throws MalformedEventException {
        if (fields == null) {
            return null;
        }
        ModelRef model =
                new ModelRef(
                        fields.optionalString("provider"),
                        fields.optionalString("name"),
                        fields.optionalString("version"),
                        fields.optionalString("digest"),
                        fields.optionalString("adapter_digest"));
        fields.rejectUnread("ModelRef");
        return model;
    }

    private static Object payload(EventKind kind, JsonFields fields)
            throws MalformedEventException {
        return switch (kind) {
            case PROMPT ->
                    PromptPayload.newBuilder()
                            .setContentSha256(fields.optionalString("content_sha256"))
                            .setLengthChars(fields.optionalInt("length_chars"))
                            .setInputTokens(fields.optionalInt("input_tokens"))
                            .setSource(
                                    fields.enumOr(
                                            "source", PromptSource.class, PromptSource.USER_INPUT))
                            .setTrust(fields.enumOr("trust", Trust.class, Trust.TRUSTED))
                            .setEmbedding(fields.optionalFloatList("embedding"))
                            .setEmbeddingModel(fields.optionalString("embedding_model"))
                            .build();
            case OUTPUT ->
                    OutputPayload.newBuilder()
                            .setInReplyTo(fields.optionalString("in_reply_to"))
                            .setContentSha256(fields.optionalString("content_sha256"))
                            .setLengthChars(fields.optionalInt("length_chars"))
                            .setOutputTokens(fields.optionalInt("output_tokens"))
                            .setFinishReason(fields.optionalString("finish_reason"))
                            .setRefused(fields.booleanOr("refused", false))
                            .setRefusalCategory(fields.optionalString("refusal_category"))
                            .setEmbedding(fields.optionalFloatList("embedding"))
                            .setEmbeddingModel(fields.optionalString("embedding_model"))
                            .setLatencyMs(fields.optionalLong("latency_ms"))
                            .build();
            case AGENT_ACTION ->
                    AgentActionPayload.newBuilder()
                            .setToolName(fields.requiredString("tool_name"))
                            .setToolType(fields.optionalString("tool_type"))
                            .setToolCallId(fields.optionalString("tool_call_id"))
                            .setArgumentsSha256(fields.optionalString("arguments_sha256"))
                            .setArgumentKeys(fields.stringList("argument_keys"))
                            .setTarget(fields.optionalString("target"))
                            .setStatus(fields.enumOr("status", ActionStatus.class, ActionStatus.OK))
                            .setCausedBy(fields.stringList("caused_by"))
                            .setStep(fields.optionalInt("step"))
                            .build();
        };
    }

    /**
     * Writes one line (without the line terminator): fields in schema order, {@code event_time} as
     * epoch milliseconds, null fields and empty {@code attributes}, {@code argument_keys} and
     * {@code caused_by} left out, non-finite embedding values as the {@code NaN} / {@code Infinity}
     * tokens that {@link #parse} accepts.
     *
     * @throws IllegalArgumentException if the payload is not one of the three payload records
     */
    public static String write(Event event) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            json.writeStartObject();
            writeCommon(json, event);
            writePayload(json, event.getPayload());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeCommon(JsonGenerator json, Event event) throws IOException {
        string(json, "event_id", event.getEventId());
        if (event.getEventTime() != null) {
            json.writeNumberField("event_time", event.getEventTime().toEpochMilli());
        }
        symbol(json, "kind", event.getKind());
        string(json, "tenant_id", event.getTenantId());
        principal(json, "principal", event.getPrincipal());
        principal(json, "on_behalf_of", event.getOnBehalfOf());
        string(json, "application_id", event.getApplicationId());
        AgentRef agent = event.getAgent();
        if (agent != null) {
            json.writeObjectFieldStart("agent");
            string(json, "id", agent.getId());
            string(json, "name", agent.getName());
            string(json, "version", agent.getVersion());
            json.writeEndObject();
        }
        string(json, "session_id", event.getSessionId());
        string(json, "conversation_id", event.getConversationId());
        string(json, "trace_id", event.getTraceId());
        string(json, "span_id", event.getSpanId());
        string(json, "parent_span_id", event.getParentSpanId());
        ModelRef model = event.getModel();
        if (model != null) {
            json.writeObjectFieldStart("model");
            string(json, "provider", model.getProvider());
            string(json, "name", model.getName());
            string(json, "version", model.getVersion());
            string(json, "digest", model.getDigest());
            string(json, "adapter_digest", model.getAdapterDigest());
            json.writeEndObject();
        }
        Map<String, String> attributes = event.getAttributes();
        if (attributes != null && !attributes.isEmpty()) {
            json.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                string(json, attribute.getKey(), attribute.getValue());
            }
            json.writeEndObject();
        }
    }

    private static void writePayload(JsonGenerator json, Object payload) throws IOException {
        if (payload instanceof PromptPayload prompt) {
            string(json, "content_sha256", prompt.getContentSha256());
            number(json, "length_chars", prompt.getLengthChars());
            number(json, "input_tokens", prompt.getInputTokens());
            symbol(json, "source", prompt.getSource());
            symbol(json, "trust", prompt.getTrust());
            floats(json, "embedding", prompt.getEmbedding());
            string(json, "embedding_model", prompt.getEmbeddingModel());
        } else if (payload instanceof OutputPayload output) {
            string(json, "in_reply_to", output.getInReplyTo());
            string(json, "content_sha256", output.getContentSha256());
            number(json, "length_chars", output.getLengthChars());
            number(json, "output_tokens", output.getOutputTokens());
            string(json, "finish_reason", output.getFinishReason());
            json.writeBooleanField("refused", output.getRefused());
            string(json, "refusal_category", output.getRefusalCategory());
            floats(json, "embedding", output.getEmbedding());
            string(json, "embedding_model", output.getEmbeddingModel());
            number(json, "latency_ms", output.getLatencyMs());
        } else if (payload instanceof AgentActionPayload action) {
            string(json, "tool_name", action.getToolName());
            string(json, "tool_type", action.getToolType());
            string(json, "tool_call_id", action.getToolCallId());
            string(json, "arguments_sha256", action.getArgumentsSha256());
            strings(json, "argument_keys", action.getArgumentKeys());
            string(json, "target", action.getTarget());
            symbol(json, "status", action.getStatus());
            strings(json, "caused_by", action.getCausedBy());
            number(json, "step", action.getStep());
        } else if (payload != null) {
            throw new IllegalArgumentException(
                    "payload must be a PromptPayload, OutputPayload or AgentActionPayload, was "
                            + payload.getClass().getName());
        }
    }

    private static void string(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void symbol(JsonGenerator json, String name, Enum<?> value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value.name());
        }
    }

    private static void number(JsonGenerator json, String name, Number value) throws IOException {
        if (value != null) {
            json.writeNumberField(name, value.longValue());
        }
    }

    private static void principal(JsonGenerator json, String name, Principal principal)
            throws IOException {
        if (principal != null) {
            json.writeObjectFieldStart(name);
            symbol(json, "type", principal.getType());
            string(json, "id", principal.getId());
            json.writeEndObject();
        }
    }

    private static void floats(JsonGenerator json, String name, List<Float> values)
            throws IOException {
        if (values != null) {
            json.writeArrayFieldStart(name);
            for (Float value : values) {
                if (value == null) {
                    json.writeNull();
                } else {
                    json.writeNumber(value);
                }
            }
            json.writeEndArray();
        }
    }

    private static void strings(JsonGenerator json, String name, List<String> values)
            throws IOException {
        if (values != null && !values.isEmpty()) {
            json.writeArrayFieldStart(name);
            for (String value : values) {
                json.writeString(value);
            }
            json.writeEndArray();
        }
    }
}
