package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Normal, per-entity stationary traffic of a {@link TrafficProfile}: chat turns of every identity
 * and runs of every agent, as a lazily generated stream in non-decreasing event time.
 *
 * <p>Each call of {@link #events} starts a fresh stream from {@link TrafficProfile#start()};
 * streams of equal profiles are identical event by event. Each entity draws from its own random
 * stream, so an entity's events do not depend on the others, and embeddings draw from yet another,
 * so switching them on leaves every other field unchanged. Memory is O(entities); a stream is not
 * thread-safe.
 */
public final class TrafficGenerator {

    private static final long EMBEDDING_STREAM = 0xD1B54A32D192ED03L;

    private final TrafficProfile profile;
    private final Population population;

    public TrafficGenerator(TrafficProfile profile) {
        this.profile = profile;
        this.population = Population.of(profile);
    }

    public TrafficProfile profile() {
        return profile;
    }

    /** The identities and agents producing the traffic. */
    public Population population() {
        return population;
    }

    /** An unbounded stream from the profile's start. */
    public Iterator<Event> events() {
        return new EventScheduler(actors(), Long.MAX_VALUE);
    }

    /** The stream from the profile's start up to, excluding, {@code end}. */
    public Iterator<Event> events(Instant end) {
        return new EventScheduler(actors(), end.toEpochMilli());
    }

    private List<Actor> actors() {
        Sha256 sha256 = new Sha256();
        SplittableRandom streams = new SplittableRandom(profile.seed());
        SplittableRandom embeddingStreams = new SplittableRandom(profile.seed() ^ EMBEDDING_STREAM);
        List<Actor> actors = new ArrayList<>();
        for (Identity identity : population.identities()) {
            actors.add(
                    new ChatActor(
                            identity, profile, sha256, streams.split(), embeddingStreams.split()));
        }
        for (Agent agent : population.agents()) {
            actors.add(
                    new AgentActor(
                            agent, profile, sha256, streams.split(), embeddingStreams.split()));
        }
        return actors;
    }
}
