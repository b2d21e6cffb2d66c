package dev.tamperwatch.load;

import dev.tamperwatch.schema.Topics;
import java.util.Objects;

/**
 * A human {@code USER} principal with traits drawn once, so its normal behaviour is stationary.
 *
 * @param tenantId its tenant
 * @param id {@code principal.id}, e.g. {@code u-017}
 * @param application the application it chats with
 * @param refusalProbability probability that an output to its prompt is a refusal
 * @param rateMultiplier its activity relative to {@link TrafficProfile#promptsPerIdentityHour()}
 * @param lengthMultiplier its prompt and output lengths relative to the population median
 * @param topic centroid of its prompt embeddings; {@code null} when embeddings are off
 */
public record Identity(
        String tenantId,
        String id,
        Application application,
        double refusalProbability,
        double rateMultiplier,
        double lengthMultiplier,
        Topic topic) {

    public Identity {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(application, "application");
    }

    /** The identity key {@code tenant/principal}. */
    public String key() {
        return Topics.eventKey(tenantId, id);
    }
}
