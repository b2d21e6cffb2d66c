package dev.tamperwatch.job.io;

import dev.tamperwatch.schema.avro.Event;

/**
 * The outcome of decoding one source record: exactly one of {@link #event} (valid) and {@link
 * #deadLetter} (undecodable or invalid, with the reason) is set. A Flink POJO.
 */
public class Decoded {
    public Event event;
    public DeadLetterRecord deadLetter;

    public Decoded() {}

    public static Decoded valid(Event event) {
        Decoded decoded = new Decoded();
        decoded.event = event;
        return decoded;
    }

    public static Decoded invalid(DeadLetterRecord deadLetter) {
        Decoded decoded = new Decoded();
        decoded.deadLetter = deadLetter;
        return decoded;
    }

    public boolean isValid() {
        return event != null;
    }
}
