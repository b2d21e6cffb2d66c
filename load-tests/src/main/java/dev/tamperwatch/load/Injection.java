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
}
