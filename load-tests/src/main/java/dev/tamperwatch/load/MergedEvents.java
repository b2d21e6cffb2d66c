package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merges streams that are each in non-decreasing event time into one such stream, up to an end.
 * Equal times come from the earlier source first.
 */
final class MergedEvents implements Iterator<Event> {

    private record Head(Event event, long millis, int source) {}

    private final List<Iterator<Event>> sources;
    private final long endMillis;
    private final PriorityQueue<Head> heads =
            new PriorityQueue<>(
                    Comparator.comparingLong(Head::millis).thenComparingInt(Head::source));

    /**
     * @param endMillis events at or after this epoch ms end their source
     */
    MergedEvents(List<Iterator<Event>> sources, long endMillis) {
        this.sources = List.copyOf(sources);
        this.endMillis = endMillis;
        for (int i = 0; i < this.sources.size(); i++) {
            advance(i);
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public Event next() {
        Head head = heads.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        advance(head.source());
        return head.event();
    }

    private void advance(int source) {
        Iterator<Event> iterator = sources.get(source);
        if (iterator.hasNext()) {
            Event event = iterator.next();
            long millis = event.getEventTime().toEpochMilli();
            if (millis < endMillis) {
                heads.add(new Head(event, millis, source));
            }
        }
    }
}
