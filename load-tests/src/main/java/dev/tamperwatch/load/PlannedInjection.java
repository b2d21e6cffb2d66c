package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * An injection whose few events are regenerated, deterministically, for every stream.
 *
 * @param writer returns a new mutable list of the events, in any order
 */
record PlannedInjection(List<Label> labels, Supplier<List<Event>> writer) implements Injection {

    PlannedInjection {
        labels = List.copyOf(labels);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("an injection needs a label");
        }
    }

    @Override
    public Iterator<Event> events() {
        List<Event> events = writer.get();
        events.sort(Comparator.comparing(Event::getEventTime));
        return events.iterator();
    }
}
