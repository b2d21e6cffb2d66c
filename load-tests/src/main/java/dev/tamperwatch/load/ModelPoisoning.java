package dev.tamperwatch.load;

import dev.tamperwatch.schema.Topics;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.OutputPayload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Slow poisoning of a model, as by fine-tuning on poisoned data in small increments: from the start
 * of the attack, the embedding of every output the model gives (to any identity or agent of the
 * tenant) is pulled towards one random poisoned topic, by a weight that grows linearly from 0 to
 * {@code weight} over {@code ramp} and then stays. Each window moves only a little, so window-level
 * tests see nothing unusual; the fast baseline follows and the slow one does not. Needs outputs
 * with embeddings. Labels: {@code model} with the model key {@code tenant/model name}, from the
 * start of the ramp to the end of {@code hold}, then {@code agent} for each agent whose application
 * calls that model (their outputs are the model's), same window.
 *
 * @param modelKey the poisoned model, {@code tenant/model name}
 * @param ramp how long the pull takes to reach its full weight, positive
 * @param hold how long the poisoned model stays in service after the ramp, as far as the labels go
 *     (the pull itself never stops); not negative
 * @param weight the full pull, as a multiple of the poisoned topic's unit centroid added to each
 *     unit-length output embedding before renormalising; positive
 */
public record ModelPoisoning(String modelKey, Duration ramp, Duration hold, double weight)
        implements AttackScenario {

    /** The scenario name in labels. */
    public static final String NAME = "model-poisoning";

    public ModelPoisoning {
        if (modelKey == null
                || ramp.isNegative()
                || ramp.isZero()
                || hold.isNegative()
                || !(weight > 0)) {
            throw new IllegalArgumentException(
                    "need a model key, a positive ramp and weight, a hold not negative");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Injection inject(AttackContext context) {
        List<Label> labels = new ArrayList<>();
        labels.add(label(context, Label.KeyType.MODEL, modelKey));
        for (Agent agent : context.population().agents()) {
            if (modelKey.equals(
                    Topics.eventKey(agent.tenantId(), agent.application().model().name()))) {
                labels.add(label(context, Label.KeyType.AGENT, agent.key()));
            }
        }
        Topic poisoned = Topic.random(context.random());
        long start = context.start().toEpochMilli();
        double rampMillis = ramp.toMillis();
        return new AlteringInjection(labels) {
            @Override
            public Event alter(Event normal) {
                long millis = normal.getEventTime().toEpochMilli();
                if (millis >= start
                        && normal.getPayload() instanceof OutputPayload output
                        && output.getEmbedding() != null
                        && normal.getModel() != null
                        && modelKey.equals(
                                Topics.eventKey(
                                        normal.getTenantId(), normal.getModel().getName()))) {
                    double progress = Math.min(1.0, (millis - start) / rampMillis);
                    output.setEmbedding(poisoned.pull(output.getEmbedding(), weight * progress));
                }
                return normal;
            }
        };
    }

    private Label label(AttackContext context, Label.KeyType keyType, String key) {
        return context.label(NAME, keyType, key, ramp.plus(hold));
    }
}
