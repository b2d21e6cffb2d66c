package dev.tamperwatch.detect.embedding;

/**
 * One embedded prompt or output.
 *
 * @param embedding the embedding vector, any dimension, any norm but zero; components must be
 *     finite. Read, not copied, and not kept: the caller must not modify it during the call
 * @param embeddingModel name of the model that computed the embedding; a key's state is bound to
 *     the first model it sees
 * @param eventId id of the event, kept as evidence; may be null
 */
public record EmbeddingObservation(float[] embedding, String embeddingModel, String eventId) {}
