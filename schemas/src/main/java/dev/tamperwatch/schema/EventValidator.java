package dev.tamperwatch.schema;

import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.AgentRef;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.Principal;
import dev.tamperwatch.schema.avro.PromptPayload;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Checks the rules the Avro schema cannot express, so that every event that passes can be encoded
 * and is meaningful to the detectors:
 *
 * <ul>
 *   <li>{@code event_id} is a UUID in 8-4-4-4-12 hex form; {@code tenant_id}, {@code principal.id},
 *       {@code on_behalf_of.id} and {@code agent.id} are not blank; required values are not null;
 *   <li>{@code event_time} is not before {@link #EARLIEST_EVENT_TIME} and at most the configured
 *       skew (default {@link #DEFAULT_MAX_FUTURE_SKEW}) after the clock's now;
 *   <li>the payload is the record {@code kind} names;
 *   <li>lengths, token counts, {@code latency_ms} and {@code step} are {@code >= 0};
 *   <li>{@code content_sha256} and {@code arguments_sha256}, when present, are 64 lower-case hex;
 *   <li>an embedding has an {@code embedding_model}, is not empty, holds only finite values, and
 *       has the model's dimension in {@link EmbeddingModels}, or at most {@link
 *       EmbeddingModels#MAX_UNKNOWN_DIMENSION} values for an unknown model;
 *   <li>an {@code AGENT_ACTION} has a non-blank {@code tool_name}.
 * </ul>
 *
 * Immutable and thread-safe; serializable when its clock is (all {@link Clock} factories of {@code
 * java.time} are).
 */
public final class EventValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Events before this instant are rejected as implausible. */
    public static final Instant EARLIEST_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");

    /** How far ahead of the clock an event time may be unless configured otherwise. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofDays(1);

    private static final Pattern UUID =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final int QUOTED_MAX_CHARS = 80;

    private final EmbeddingModels embeddingModels;
    private final Clock clock;
    private final Duration maxFutureSkew;

    /** Default embedding models, the system UTC clock and a future skew of one day. */
    public EventValidator() {
        this(EmbeddingModels.defaults(), Clock.systemUTC(), DEFAULT_MAX_FUTURE_SKEW);
    }

    private EventValidator(EmbeddingModels embeddingModels, Clock clock, Duration maxFutureSkew) {
        this.embeddingModels = embeddingModels;
        this.clock = clock;
        this.maxFutureSkew = maxFutureSkew;
    }

    /** A copy that takes embedding dimensions from {@code models}. */
    public EventValidator withEmbeddingModels(EmbeddingModels models) {
        return new EventValidator(requireNonNull(models, "models"), clock, maxFutureSkew);
    }

    /** A copy that measures the future skew of {@code event_time} against {@code clock}. */
    public EventValidator withClock(Clock clock) {
        return new EventValidator(embeddingModels, requireNonNull(clock, "clock"), maxFutureSkew);
    }

    /**
     * A copy that accepts event times at most {@code skew} after the clock's now.
     *
     * @throws IllegalArgumentException if {@code skew} is negative
     */
    public EventValidator withMaxFutureSkew(Duration skew) {
        if (requireNonNull(skew, "skew").isNegative()) {
            throw new IllegalArgumentException("skew must not be negative, was " + skew);
        }
        return new EventValidator(embeddingModels, clock, skew);
    }

    private static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * Validates one event; the first problem found is thrown.
     *
     * @throws NullPointerException if {@code event} is null
     * @throws MalformedEventException naming the offending field and what is wrong with it
     */
    public void validate(Event event) throws MalformedEventException {
        Objects.requireNonNull(event, "event");
        checkUuid("event_id", event.getEventId());
        checkEventTime(event.getEventTime());
        notNull("kind", event.getKind());
        notBlank("tenant_id", event.getTenantId());
        checkPrincipal("principal", notNull("principal", event.getPrincipal()));
        if (event.getOnBehalfOf() != null) {
            checkPrincipal("on_behalf_of", event.getOnBehalfOf());
        }
        AgentRef agent = event.getAgent();
        if (agent != null) {
            notBlank("agent.id", agent.getId());
        }
        checkAttributes(event.getAttributes());
        checkPayload(event.getKind(), notNull("payload", event.getPayload()));
    }

    private void checkEventTime(Instant time) throws MalformedEventException {
        notNull("event_time", time);
        if (time.isBefore(EARLIEST_EVENT_TIME)) {
            throw new MalformedEventException(
                    "event_time", time + " is before " + EARLIEST_EVENT_TIME);
        }
        Instant now = clock.instant();
        if (time.isAfter(now.plus(maxFutureSkew))) {
            throw new MalformedEventException(
                    "event_time",
                    time + " is more than " + maxFutureSkew + " after the current time " + now);
        }
    }

    private static void checkPrincipal(String path, Principal principal)
            throws MalformedEventException {
        notNull(path + ".type", principal.getType());
        notBlank(path + ".id", principal.getId());
    }

    private static void checkAttributes(Map<String, String> attributes)
            throws MalformedEventException {
        notNull("attributes", attributes);
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            if (attribute.getKey() == null) {
                throw new MalformedEventException("attributes", "keys must not be null");
            }
            notNull("attributes." + attribute.getKey(), attribute.getValue());
        }
    }

    private void checkPayload(EventKind kind, Object payload) throws MalformedEventException {
        Class<?> expected =
                switch (kind) {
                    case PROMPT -> PromptPayload.class;
                    case OUTPUT -> OutputPayload.class;
                    case AGENT_ACTION -> AgentActionPayload.class;
                };
        if (!expected.isInstance(payload)) {
            throw new MalformedEventException(
                    "payload",
                    "kind "
                            + kind
                            + " needs payload "
                            + expected.getSimpleName()
                            + ", was "
                            + payload.getClass().getSimpleName());
        }
        if (payload instanceof PromptPayload prompt) {
            checkPrompt(prompt);
        } else if (payload instanceof OutputPayload output) {
            checkOutput(output);
        } else {
            checkAction((AgentActionPayload) payload);
        }
    }

    private void checkPrompt(PromptPayload prompt) throws MalformedEventException {
        checkSha256("payload.content_sha256", prompt.getContentSha256());
        notNegative("payload.length_chars", prompt.getLengthChars());
        notNegative("payload.input_tokens", prompt.getInputTokens());
        notNull("payload.source", prompt.getSource());
        notNull("payload.trust", prompt.getTrust());
        checkEmbedding(prompt.getEmbedding(), prompt.getEmbeddingModel());
    }

    private void checkOutput(OutputPayload output) throws MalformedEventException {
        checkSha256("payload.content_sha256", output.getContentSha256());
        notNegative("payload.length_chars", output.getLengthChars());
        notNegative("payload.output_tokens", output.getOutputTokens());
        notNegative("payload.latency_ms", output.getLatencyMs());
        checkEmbedding(output.getEmbedding(), output.getEmbeddingModel());
    }

    private static void checkAction(AgentActionPayload action) throws MalformedEventException {
        notBlank("payload.tool_name", action.getToolName());
        checkSha256("payload.arguments_sha256", action.getArgumentsSha256());
        noNullItems("payload.argument_keys", action.getArgumentKeys());
        notNull("payload.status", action.getStatus());
        noNullItems("payload.caused_by", action.getCausedBy());
        notNegative("payload.step", action.getStep());
    }

    private void checkEmbedding(List<Float> embedding, String model)
            throws MalformedEventException {
        if (embedding == null) {
            return;
        }
        if (model == null || model.isBlank()) {
            throw new MalformedEventException(
                    "payload.embedding_model", "required when an embedding is present");
        }
        if (embedding.isEmpty()) {
            throw new MalformedEventException("payload.embedding", "must not be empty");
        }
        OptionalInt dimension = embeddingModels.dimensionOf(model);
        if (dimension.isPresent() && embedding.size() != dimension.getAsInt()) {
            throw new MalformedEventException(
                    "payload.embedding",
                    "length "
                            + embedding.size()
                            + " does not match dimension "
                            + dimension.getAsInt()
                            + " of embedding_model "
                            + model);
        }
        if (dimension.isEmpty() && embedding.size() > EmbeddingModels.MAX_UNKNOWN_DIMENSION) {
            throw new MalformedEventException(
                    "payload.embedding",
                    "length "
                            + embedding.size()
                            + " exceeds "
                            + EmbeddingModels.MAX_UNKNOWN_DIMENSION
                            + ", the limit for the unregistered embedding_model "
                            + model);
        }
        for (int i = 0; i < embedding.size(); i++) {
            Float value = notNull("payload.embedding[" + i + "]", embedding.get(i));
            if (!Float.isFinite(value)) {
                throw new MalformedEventException(
                        "payload.embedding[" + i + "]", value + " is not allowed");
            }
        }
    }

    private static void checkUuid(String path, String value) throws MalformedEventException {
        notBlank(path, value);
        if (!UUID.matcher(value).matches()) {
            throw new MalformedEventException(
                    path,
                    "must be a UUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427, was "
                            + quote(value));
        }
    }

    private static void checkSha256(String path, String value) throws MalformedEventException {
        if (value != null && !SHA256_HEX.matcher(value).matches()) {
            throw new MalformedEventException(
                    path, "must be 64 lower-case hex characters, was " + quote(value));
        }
    }

    private static void notNegative(String path, Number value) throws MalformedEventException {
        if (value != null && value.longValue() < 0) {
            throw new MalformedEventException(path, "must be >= 0, was " + value);
        }
    }

    private static void noNullItems(String path, List<String> values)
            throws MalformedEventException {
        notNull(path, values);
        for (int i = 0; i < values.size(); i++) {
            notNull(path + "[" + i + "]", values.get(i));
        }
    }

    private static <T> T notNull(String path, T value) throws MalformedEventException {
        if (value == null) {
            throw new MalformedEventException(path, "must not be null");
        }
        return value;
    }

    private static void notBlank(String path, String value) throws MalformedEventException {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException(path, "must not be blank");
        }
    }

    private static String quote(String value) {
        return value.length() <= QUOTED_MAX_CHARS
                ? "'" + value + "'"
                : "'" + value.substring(0, QUOTED_MAX_CHARS) + "…' (" + value.length() + " chars)";
    }
}
