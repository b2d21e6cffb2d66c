package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.ActionStatus;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.PromptSource;
import dev.tamperwatch.schema.avro.Trust;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Writes one agent run as one trace, keeping its clock: the user's prompt opens the root span; tool
 * calls follow after a model think time and are children of the root; results fed back to the model
 * are untrusted prompts under their call; the output closes the run. Every step is at most 8 s
 * after the previous one.
 */
final class AgentRun {

    private static final double OUTPUT_MEDIAN_CHARS = 600;
    private static final double REFUSAL_MEDIAN_CHARS = 160;
    private static final double EMBEDDING_SPREAD = 1.0;

    private final Agent agent;
    private final SplittableRandom random;
    private final SplittableRandom embeddingRandom;
    private final TraceWriter trace;
    private long clockMillis;
    private int step;
    private Event root;

    /**
     * @param embeddingRandom draws embeddings; unused when the agent has no topic
     */
    AgentRun(
            Agent agent,
            Identity user,
            long startMillis,
            Sha256 sha256,
            SplittableRandom random,
            SplittableRandom embeddingRandom,
            Consumer<Event> out) {
        this.agent = agent;
        this.random = random;
        this.embeddingRandom = embeddingRandom;
        String session = TraceWriter.uuid(random);
        this.trace =
                new TraceWriter(
                        sha256, random, Envelope.agentRun(agent, user, session, session), out);
        this.clockMillis = startMillis;
    }

    /** Emits the user's trusted request that opens the run; call first. */
    Event request() {
        root =
                trace.prompt(
                        clockMillis,
                        null,
                        PromptSource.USER_INPUT,
                        Trust.TRUSTED,
                        Sampling.chars(random, 260, 0.8),
                        embedding());
        return root;
    }

    /** Emits the next tool call after a think time. */
    Event call(Tool tool, String target, ActionStatus status, List<String> causedBy) {
        clockMillis += Sampling.millis(random, 900, 0.6, 150, 5_000);
        return trace.action(clockMillis, root, tool, target, status, causedBy, step++);
    }

    /** Emits untrusted content entering the model under {@code parent}, after tool latency. */
    Event untrustedInput(Event parent, PromptSource source) {
        clockMillis += Sampling.millis(random, 250, 0.8, 20, 3_000);
        double medianChars = source == PromptSource.TOOL_RESULT ? 600 : 2_500;
        return trace.prompt(
                clockMillis,
                parent,
                source,
                Trust.UNTRUSTED,
                Sampling.chars(random, medianChars, 0.8),
                embedding());
    }

    /** Emits the run's final output after a think time. */
    Event finish(boolean refused) {
        clockMillis += Sampling.millis(random, 1_500, 0.5, 300, 8_000);
        return trace.output(
                clockMillis,
                root,
                root,
                refused
                        ? Sampling.chars(random, REFUSAL_MEDIAN_CHARS, 0.3)
                        : Sampling.chars(random, OUTPUT_MEDIAN_CHARS, 0.6),
                refused,
                refused ? Sampling.refusalCategory(random) : null,
                refused ? "content_filter" : "stop",
                embedding());
    }

    private List<Float> embedding() {
        return agent.topic() == null
                ? null
                : agent.topic().sample(embeddingRandom, EMBEDDING_SPREAD);
    }
}
