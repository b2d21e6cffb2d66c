package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.util.Iterator;
import java.util.List;

/** One planned attack: its ground-truth labels and the events it adds to normal traffic. */
public interface Injection {

    /**
     * The labels of this attack, all with one incident id; the first names the attacked principal,
     * agent or application and the attack window, finer ones (e.g. per trace) may follow.
     */
    List<Label> labels();

    /** The first label: the attacked entity and the attack window. */
    default Label target() {
        return labels().get(0);
    }

    /**
     * A fresh stream of the attack's events in non-decreasing event time, all within {@link
     * #target()}'s window; every call returns the same events.
     */
    Iterator<Event> events();

    /**
     * A normal event as this attack alters it, e.g. an output of a poisoned model, or the event
     * itself when the attack leaves it alone (the default: most attacks only add events). Called
     * once per normal event of every stream, in event-time order; may change the event in place and
     * must be deterministic.
     */
    default Event alter(Event normal) {
        return normal;
    }
}
