package dev.tamperwatch.load;

import dev.tamperwatch.schema.Topics;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.OutputPayload;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Output manipulation: a tampered system prompt or retrieval source makes one agent answer about
 * something else, e.g. steering users to a phishing site. For the attack window, the embeddings of
 * the agent's normal outputs are drawn around another, random topic instead of its own; everything
 * else about its runs (tools, timing, lengths) is unchanged. Needs an agent with embeddings. Label:
 * {@code agent} with the agent key and the window.
 *
 * @param agentKey the manipulated agent, {@code tenant/agent}; {@code null} picks one with
 *     embeddings at random
 * @param duration length of the attack window, positive
 */
public record OutputManipulation(String agentKey, Duration duration) implements AttackScenario {

    /** The scenario name in labels. */
    public static final String NAME = "output-manipulation";

    /** Spread of the manipulated outputs around their topic, as of normal outputs. */
    private static final double EMBEDDING_SPREAD = 1.0;

    public OutputManipulation {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }

    /** One hour of a random agent with embeddings. */
    public static OutputManipulation randomAgent() {
        return new OutputManipulation(null, Duration.ofHours(1));
    }

    /** One hour of the agent with that key. */
    public static OutputManipulation against(String agentKey) {
        return new OutputManipulation(agentKey, Duration.ofHours(1));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Injection inject(AttackContext context) {
        Agent agent =
                agentKey == null
                        ? context.randomAgent(candidate -> candidate.topic() != null)
                        : context.population().agent(agentKey);
        if (agent.topic() == null) {
            throw new IllegalArgumentException("agent " + agent.key() + " has no embeddings");
        }
        SplittableRandom random = context.random();
        Topic steered = Topic.random(random);
        long seed = random.nextLong();
        Label label = context.label(NAME, Label.KeyType.AGENT, agent.key(), duration);
        return new AlteringInjection(List.of(label)) {
            @Override
            public Event alter(Event normal) {
                if (normal.getPayload() instanceof OutputPayload output
                        && output.getEmbedding() != null
                        && normal.getAgent() != null
                        && label.covers(normal.getEventTime())
                        && agent.key()
                                .equals(
                                        Topics.eventKey(
                                                normal.getTenantId(), normal.getAgent().getId()))) {
                    SplittableRandom draw =
                            new SplittableRandom(seed ^ normal.getEventId().hashCode());
                    output.setEmbedding(steered.sample(draw, EMBEDDING_SPREAD));
                }
                return normal;
            }
        };
    }
}
