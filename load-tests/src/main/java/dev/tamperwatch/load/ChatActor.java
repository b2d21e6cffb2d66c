package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The normal chat traffic of one identity: conversations arrive as a Poisson process following the
 * daily cycle, each of a geometric number of turns (mean 3) separated by a think time; a
 * conversation arriving while another is open starts a second after it ends, so the long-run rate
 * of turns is exactly the identity's rate. A session ends after 30 minutes of inactivity. Each
 * output is refused with the identity's fixed refusal probability.
 */
final class ChatActor extends Actor {

    private static final double MEAN_TURNS = 3;
    private static final long SESSION_TIMEOUT_MILLIS = 30 * 60_000;
    private static final long MIN_GAP_MILLIS = 1_000;
    private static final double PROMPT_MEDIAN_CHARS = 220;
    private static final double OUTPUT_MEDIAN_CHARS = 900;

    private final Identity identity;
    private final Sha256 sha256;
    private final SplittableRandom random;
    private final SplittableRandom embeddingRandom;
    private final double conversationsPerHour;
    private long nextConversationMillis;
    private int turnsLeft;
    private String sessionId;
    private String conversationId;
    private long lastActivityMillis = Long.MIN_VALUE;

    ChatActor(
            Identity identity,
            TrafficProfile profile,
            Sha256 sha256,
            SplittableRandom random,
            SplittableRandom embeddingRandom) {
        this.identity = identity;
        this.sha256 = sha256;
        this.random = random;
        this.embeddingRandom = embeddingRandom;
        this.conversationsPerHour =
                profile.promptsPerIdentityHour() * identity.rateMultiplier() / MEAN_TURNS;
        this.nextConversationMillis =
                DailyCycle.OFFICE_HOURS.nextArrival(
                        random, profile.start().toEpochMilli() - 1, conversationsPerHour);
        this.nextMillis = nextConversationMillis;
    }

    @Override
    void act(Consumer<Event> out) {
        long now = nextMillis;
        if (turnsLeft == 0) {
            turnsLeft =
                    1 + (int) (Math.log(1 - random.nextDouble()) / Math.log(1 - 1 / MEAN_TURNS));
            if (sessionId == null || now - lastActivityMillis > SESSION_TIMEOUT_MILLIS) {
                sessionId = TraceWriter.uuid(random);
            }
            conversationId = TraceWriter.uuid(random);
            nextConversationMillis =
                    DailyCycle.OFFICE_HOURS.nextArrival(
                            random, nextConversationMillis, conversationsPerHour);
        }
        double length = identity.lengthMultiplier();
        lastActivityMillis =
                new ChatTurnWriter(sha256, random, embeddingRandom, out)
                        .write(
                                Envelope.chat(identity, sessionId, conversationId),
                                identity.topic(),
                                now,
                                Sampling.chars(random, PROMPT_MEDIAN_CHARS * length, 0.9),
                                OUTPUT_MEDIAN_CHARS * length,
                                random.nextDouble() < identity.refusalProbability());
        turnsLeft--;
        nextMillis =
                turnsLeft > 0
                        ? lastActivityMillis + Sampling.millis(random, 40_000, 0.8, 3_000, 600_000)
                        : Math.max(nextConversationMillis, lastActivityMillis + MIN_GAP_MILLIS);
    }
}
