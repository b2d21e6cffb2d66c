package dev.tamperwatch.job.io;

import dev.tamperwatch.schema.EventDecoder;
import dev.tamperwatch.schema.EventValidator;
import dev.tamperwatch.schema.MalformedEventException;
import java.io.Serializable;

/**
 * Decodes and validates one record from any source; never throws on input. Failures, including
 * unexpected ones, become dead letters that keep the original bytes and name the reason.
 */
public final class RecordDecoder implements Serializable {

    private transient EventDecoder decoder;

    /**
     * Decodes {@code value} (Avro single-object encoding or a JSON object) read at the given
     * origin.
     */
    public Decoded decode(byte[] key, byte[] value, String topic, int partition, long offset) {
        if (decoder == null) {
            decoder = new EventDecoder(new EventValidator());
        }
        try {
            return Decoded.valid(decoder.decode(value));
        } catch (MalformedEventException e) {
            return Decoded.invalid(
                    new DeadLetterRecord(
                            key,
                            value,
                            "MalformedEvent",
                            e.getMessage(),
                            topic,
                            partition,
                            offset));
        } catch (RuntimeException e) {
            return Decoded.invalid(
                    new DeadLetterRecord(
                            key,
                            value,
                            e.getClass().getSimpleName(),
                            String.valueOf(e),
                            topic,
                            partition,
                            offset));
        }
    }
}
