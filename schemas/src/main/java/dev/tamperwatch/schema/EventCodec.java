package dev.tamperwatch.schema;

import dev.tamperwatch.schema.avro.Event;

/**
 * The wire format of {@link Topics#EVENTS}: Avro binary single-object encoding of {@link Event}
 * ({@code 0xC3 0x01}, 8-byte schema fingerprint, body), so no schema registry is needed.
 * Thread-safe.
 */
public final class EventCodec {

    private static final SingleObjectCodec<Event> CODEC =
            new SingleObjectCodec<>(Event.class, Event.getClassSchema());

    private EventCodec() {}

    /**
     * Encodes an event. Does not validate it (see {@link EventValidator}).
     *
     * @throws IllegalArgumentException if a field the schema requires is null or of the wrong type
     */
    public static byte[] encode(Event event) {
        return CODEC.encode(event);
    }

    /**
     * Decodes bytes written by {@link #encode}. Does not validate the event.
     *
     * @throws MalformedEventException with field {@code <bytes>} for null, empty, truncated or
     *     otherwise malformed input, an unknown schema fingerprint or trailing bytes; never
     *     anything else
     */
    public static Event decode(byte[] bytes) throws MalformedEventException {
        return CODEC.decode(bytes);
    }
}
