package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.util.function.Consumer;

/**
 * An entity that produces its events in episodes (a chat turn, an agent run) at scheduled times.
 */
abstract class Actor {

    /** When the next episode starts, epoch ms. */
    long nextMillis;

    /**
     * Emits the episode starting at {@link #nextMillis}: events timed at or after it, in any order.
     * Then moves {@link #nextMillis} forward.
     */
    abstract void act(Consumer<Event> out);
}
