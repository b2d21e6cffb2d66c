package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One identity sends a burst of long jailbreak prompts, about half of them refused: its prompt rate
 * and refusal rate spike for the attack window.
 *
 * <p>The prompts fall uniformly in the window (their outputs within it too), in a new session, a
 * new conversation every 8 prompts on average. Prompts are about 8 times longer than the identity's
 * usual ones and, when embeddings are on, scatter around an unrelated topic. The identity's normal
 * traffic goes on alongside. Label: {@code principal}, the identity key, the whole window.
 *
 * @param identityKey the attacked identity, {@code tenant/principal}; {@code null} picks one at
 *     random
 * @param minPrompts fewest prompts of the burst
 * @param maxPrompts most prompts of the burst
 * @param duration length of the attack window, at least 10 s
 * @param refusedShare probability that each burst prompt is refused
 */
public record JailbreakCampaign(
        String identityKey, int minPrompts, int maxPrompts, Duration duration, double refusedShare)
        implements AttackScenario {

    /** The scenario name in labels. */
    public static final String NAME = "jailbreak-campaign";

    private static final long LAST_PROMPT_MARGIN_MILLIS = 5_000;
    private static final double PROMPT_MEDIAN_CHARS = 1_800;
    private static final double OUTPUT_MEDIAN_CHARS = 700;
    private static final double NEW_CONVERSATION_PROBABILITY = 1.0 / 8;

    public JailbreakCampaign {
        if (minPrompts < 1 || maxPrompts < minPrompts) {
            throw new IllegalArgumentException("need 1 <= minPrompts <= maxPrompts");
        }
        if (duration.toMillis() < 2 * LAST_PROMPT_MARGIN_MILLIS) {
            throw new IllegalArgumentException("duration must be at least 10 s");
        }
        if (refusedShare < 0 || refusedShare > 1) {
            throw new IllegalArgumentException("refusedShare must be a probability");
        }
    }

    /** 40 to 60 prompts in one hour, half refused, from a random identity. */
    public static JailbreakCampaign randomIdentity() {
        return new JailbreakCampaign(null, 40, 60, Duration.ofHours(1), 0.5);
    }

    /** 40 to 60 prompts in one hour, half refused, from the identity with that key. */
    public static JailbreakCampaign against(String identityKey) {
        return new JailbreakCampaign(identityKey, 40, 60, Duration.ofHours(1), 0.5);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Injection inject(AttackContext context) {
        Identity identity = context.identityOrRandom(identityKey);
        long start = context.start().toEpochMilli();
        long end = start + duration.toMillis();
        long[] promptTimes =
                new long[minPrompts + context.random().nextInt(maxPrompts - minPrompts + 1)];
        for (int i = 0; i < promptTimes.length; i++) {
            promptTimes[i] = context.random().nextLong(start, end - LAST_PROMPT_MARGIN_MILLIS + 1);
        }
        Arrays.sort(promptTimes);
        long seed = context.random().nextLong();
        Label label = context.label(NAME, Label.KeyType.PRINCIPAL, identity.key(), duration);
        return new PlannedInjection(List.of(label), () -> write(identity, promptTimes, seed));
    }

    private List<Event> write(Identity identity, long[] promptTimes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom embeddingRandom = random.split();
        Topic topic = identity.topic() == null ? null : Topic.random(embeddingRandom);
        List<Event> events = new ArrayList<>(2 * promptTimes.length);
        ChatTurnWriter turns =
                new ChatTurnWriter(new Sha256(), random, embeddingRandom, events::add);
        String session = TraceWriter.uuid(random);
        String conversation = TraceWriter.uuid(random);
        for (long promptTime : promptTimes) {
            if (random.nextDouble() < NEW_CONVERSATION_PROBABILITY) {
                conversation = TraceWriter.uuid(random);
            }
            turns.write(
                    Envelope.chat(identity, session, conversation),
                    topic,
                    promptTime,
                    Sampling.chars(random, PROMPT_MEDIAN_CHARS * identity.lengthMultiplier(), 0.5),
                    OUTPUT_MEDIAN_CHARS,
                    random.nextDouble() < refusedShare);
        }
        return events;
    }
}
