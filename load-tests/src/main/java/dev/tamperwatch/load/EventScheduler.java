package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Interleaves the episodes of many actors into one stream in non-decreasing event time.
 *
 * <p>An actor's episode is expanded only when its start is due, that is no later than the earliest
 * pending event; since episodes never emit before their start, every event released is final.
 * Memory is bounded by the actors plus the events of episodes in flight. Ties in time keep emission
 * order, so the stream is a function of the actors' seeds.
 */
final class EventScheduler implements Iterator<Event> {

    private record Pending(long millis, long sequence, Event event) {}

    private static final Comparator<Pending> BY_TIME =
            Comparator.comparingLong(Pending::millis).thenComparingLong(Pending::sequence);

    private final PriorityQueue<Actor> actors;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(BY_TIME);
    private final long endMillis;
    private long sequence;

    /**
     * @param actors the actors, each with its first {@link Actor#nextMillis}
     * @param endMillis events at or after this epoch ms are dropped
     */
    EventScheduler(List<? extends Actor> actors, long endMillis) {
        this.actors =
                new PriorityQueue<>(
                        Math.max(1, actors.size()),
                        Comparator.comparingLong((Actor actor) -> actor.nextMillis));
        this.endMillis = endMillis;
        for (Actor actor : actors) {
            if (actor.nextMillis < endMillis) {
                this.actors.add(actor);
            }
        }
    }

    @Override
    public boolean hasNext() {
        expandDueEpisodes();
        return !pending.isEmpty();
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return pending.poll().event();
    }

    private void expandDueEpisodes() {
        while (!actors.isEmpty()
                && (pending.isEmpty() || actors.peek().nextMillis <= pending.peek().millis())) {
            Actor actor = actors.poll();
            actor.act(this::enqueue);
            if (actor.nextMillis < endMillis) {
                actors.add(actor);
            }
        }
    }

    private void enqueue(Event event) {
        long millis = event.getEventTime().toEpochMilli();
        if (millis < endMillis) {
            pending.add(new Pending(millis, sequence++, event));
        }
    }
}
