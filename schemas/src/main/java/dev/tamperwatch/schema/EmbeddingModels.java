package dev.tamperwatch.schema;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Immutable registry of embedding models and the dimension of the vectors they produce, by the name
 * events carry in {@code embedding_model}. Names match exactly.
 */
public final class EmbeddingModels implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Largest embedding length accepted for a model that is not registered. */
    public static final int MAX_UNKNOWN_DIMENSION = 8192;

    private static final EmbeddingModels DEFAULTS =
            new EmbeddingModels(
                    Map.of(
                            "all-MiniLM-L6-v2", 384,
                            "all-mpnet-base-v2", 768,
                            "text-embedding-3-small", 1536,
                            "text-embedding-3-large", 3072,
                            "text-embedding-ada-002", 1536,
                            "nomic-embed-text", 768,
                            "bge-small-en-v1.5", 384));

    private final Map<String, Integer> dimensions;

    private EmbeddingModels(Map<String, Integer> dimensions) {
        this.dimensions = Map.copyOf(dimensions);
    }

    /** Well-known models: all-MiniLM-L6-v2, all-mpnet-base-v2, OpenAI, nomic and BGE small. */
    public static EmbeddingModels defaults() {
        return DEFAULTS;
    }

    /**
     * A registry with {@code model} added or its dimension replaced.
     *
     * @throws IllegalArgumentException if the name is blank or the dimension is not positive
     */
    public EmbeddingModels with(String model, int dimension) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException(
                    "dimension of " + model + " must be positive, was " + dimension);
        }
        Map<String, Integer> copy = new HashMap<>(dimensions);
        copy.put(model, dimension);
        return new EmbeddingModels(copy);
    }

    /** The registered dimension of {@code model}, or empty if the model is unknown. */
    public OptionalInt dimensionOf(String model) {
        Integer dimension = model == null ? null : dimensions.get(model);
        return dimension == null ? OptionalInt.empty() : OptionalInt.of(dimension);
    }
}
