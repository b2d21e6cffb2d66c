package dev.tamperwatch.client;

import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A model output. */
public final class OutputCall extends Call<OutputCall> {

    private String inReplyTo;
    private String text;
    private Integer outputTokens;
    private String finishReason;
    private boolean refused;
    private String refusalCategory;
    private List<Float> embedding;
    private String embeddingModel;
    private Long latencyMs;

    OutputCall(Actor actor) {
        super(actor);
    }

    @Override
    OutputCall self() {
        return this;
    }

    /** The prompt event this output answers. */
    public OutputCall inReplyTo(Event prompt) {
        return inReplyTo(prompt.getEventId());
    }

    /** The {@code event_id} of the prompt this output answers. */
    public OutputCall inReplyTo(String promptEventId) {
        this.inReplyTo = promptEventId;
        return this;
    }

    /**
     * The raw output text. It is reduced to {@code content_sha256} (SHA-256 of its UTF-8 bytes) and
     * {@code length_chars} (Unicode code points) and leaves the process only if the client sends
     * raw content.
     */
    public OutputCall text(String rawText) {
        this.text = rawText;
        return this;
    }

    public OutputCall outputTokens(int outputTokens) {
        this.outputTokens = outputTokens;
        return this;
    }

    /** gen_ai.response.finish_reasons, e.g. {@code stop}, {@code length}, {@code tool_calls}. */
    public OutputCall finishReason(String finishReason) {
        this.finishReason = finishReason;
        return this;
    }

    /** Marks the output as a refusal, with an optional category such as {@code self-harm}. */
    public OutputCall refused(String category) {
        this.refused = true;
        this.refusalCategory = category;
        return this;
    }

    /** Embedding of the text and the model that produced it (its dimension is checked). */
    public OutputCall embedding(float[] vector, String model) {
        this.embedding = floats(vector);
        this.embeddingModel = model;
        return this;
    }

    /** Time from request to complete output; sent in whole milliseconds. */
    public OutputCall latency(Duration latency) {
        this.latencyMs = latency == null ? null : latency.toMillis();
        return this;
    }

    @Override
    EventKind kind() {
        return EventKind.OUTPUT;
    }

    @Override
    Object payload() {
        OutputPayload payload = new OutputPayload();
        payload.setInReplyTo(inReplyTo);
        payload.setContentSha256(sha256OrNull(text));
        payload.setLengthChars(lengthOrNull(text));
        payload.setOutputTokens(outputTokens);
        payload.setFinishReason(finishReason);
        payload.setRefused(refused);
        payload.setRefusalCategory(refusalCategory);
        payload.setEmbedding(embedding);
        payload.setEmbeddingModel(embeddingModel);
        payload.setLatencyMs(latencyMs);
        return payload;
    }

    @Override
    Map<String, String> rawContent() {
        return contentAttribute(text);
    }
}
