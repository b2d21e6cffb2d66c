package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** An injection that adds no events and alters normal ones; subclasses say how. */
abstract class AlteringInjection implements Injection {

    private final List<Label> labels;

    AlteringInjection(List<Label> labels) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("an injection needs a label");
        }
        this.labels = List.copyOf(labels);
    }

    @Override
    public List<Label> labels() {
        return labels;
    }

    @Override
    public Iterator<Event> events() {
        return Collections.emptyIterator();
    }

    @Override
    public abstract Event alter(Event normal);
}
