package dev.tamperwatch.client;

import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.PromptPayload;
import dev.tamperwatch.schema.avro.PromptSource;
import dev.tamperwatch.schema.avro.Trust;
import java.util.List;
import java.util.Map;

/** A prompt: input that reaches a model. Source defaults to USER_INPUT, trust to TRUSTED. */
public final class PromptCall extends Call<PromptCall> {

    private String text;
    private Integer inputTokens;
    private PromptSource source = PromptSource.USER_INPUT;
    private Trust trust = Trust.TRUSTED;
    private List<Float> embedding;
    private String embeddingModel;

    PromptCall(Actor actor) {
        super(actor);
    }

    @Override
    PromptCall self() {
        return this;
    }

    /**
     * The raw prompt text. It is reduced to {@code content_sha256} (SHA-256 of its UTF-8 bytes) and
     * {@code length_chars} (Unicode code points) and leaves the process only if the client sends
     * raw content.
     */
    public PromptCall text(String rawText) {
        this.text = rawText;
        return this;
    }

    public PromptCall inputTokens(int inputTokens) {
        this.inputTokens = inputTokens;
        return this;
    }

    /**
     * Where the text came from; retrieved documents, web pages, e-mails and files are likely
     * untrusted.
     */
    public PromptCall source(PromptSource source) {
        this.source = source;
        return this;
    }

    public PromptCall trust(Trust trust) {
        this.trust = trust;
        return this;
    }

    /** Embedding of the text and the model that produced it (its dimension is checked). */
    public PromptCall embedding(float[] vector, String model) {
        this.embedding = floats(vector);
        this.embeddingModel = model;
        return this;
    }

    @Override
    EventKind kind() {
        return EventKind.PROMPT;
    }

    @Override
    Object payload() {
        PromptPayload payload = new PromptPayload();
        payload.setContentSha256(sha256OrNull(text));
        payload.setLengthChars(lengthOrNull(text));
        payload.setInputTokens(inputTokens);
        payload.setSource(source);
        payload.setTrust(trust);
        payload.setEmbedding(embedding);
        payload.setEmbeddingModel(embeddingModel);
        return payload;
    }

    @Override
    Map<String, String> rawContent() {
        return contentAttribute(text);
    }
}
