package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.PromptSource;
import dev.tamperwatch.schema.avro.Trust;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Writes chat turns: a trusted {@code USER_INPUT} prompt, then 0.5 to 5 s later its output, as one
 * trace whose output span is a child of the prompt span.
 */
final class ChatTurnWriter {

    private static final long MIN_LATENCY_MILLIS = 500;
    private static final long MAX_LATENCY_MILLIS = 5_000;
    private static final double REFUSAL_MEDIAN_CHARS = 160;
    private static final double TRUNCATED_PROBABILITY = 0.03;
    private static final double EMBEDDING_SPREAD = 1.0;

    private final Sha256 sha256;
    private final SplittableRandom random;
    private final SplittableRandom embeddingRandom;
    private final Consumer<Event> out;

    /**
     * @param embeddingRandom draws embeddings, so that switching them on leaves the other fields
     *     unchanged; unused when turns have no topic
     */
    ChatTurnWriter(
            Sha256 sha256,
            SplittableRandom random,
            SplittableRandom embeddingRandom,
            Consumer<Event> out) {
        this.sha256 = sha256;
        this.random = random;
        this.embeddingRandom = embeddingRandom;
        this.out = out;
    }

    /**
     * Emits one turn.
     *
     * @param topic centroid of the turn's embeddings, or {@code null} for none
     * @param refused whether the output is a refusal; refusals are short and name a category
     * @param outputMedianChars median length of a non-refused output
     * @return the output's event time, epoch ms
     */
    long write(
            Envelope envelope,
            Topic topic,
            long millis,
            int promptChars,
            double outputMedianChars,
            boolean refused) {
        TraceWriter trace = new TraceWriter(sha256, random, envelope, out);
        Event prompt =
                trace.prompt(
                        millis,
                        null,
                        PromptSource.USER_INPUT,
                        Trust.TRUSTED,
                        promptChars,
                        embedding(topic));
        int outputChars =
                refused
                        ? Sampling.chars(random, REFUSAL_MEDIAN_CHARS, 0.3)
                        : Sampling.chars(random, outputMedianChars, 0.6);
        double millisPerChar = Sampling.logNormal(random, 1.5, 0.3);
        long latency =
                Math.max(
                        MIN_LATENCY_MILLIS,
                        Math.min(
                                MAX_LATENCY_MILLIS, 300 + Math.round(millisPerChar * outputChars)));
        String finishReason;
        String refusalCategory = null;
        if (refused) {
            finishReason = "content_filter";
            refusalCategory = Sampling.refusalCategory(random);
        } else {
            finishReason = random.nextDouble() < TRUNCATED_PROBABILITY ? "length" : "stop";
        }
        long outputMillis = millis + latency;
        trace.output(
                outputMillis,
                prompt,
                prompt,
                outputChars,
                refused,
                refusalCategory,
                finishReason,
                embedding(topic));
        return outputMillis;
    }

    private List<Float> embedding(Topic topic) {
        return topic == null ? null : topic.sample(embeddingRandom, EMBEDDING_SPREAD);
    }
}
