package dev.tamperwatch.schema;

import dev.tamperwatch.schema.avro.ControlRecord;

/**
 * The wire format of {@link Topics#CONTROL} values: Avro binary single-object encoding of {@link
 * ControlRecord}. Thread-safe.
 */
public final class ControlCodec {

    private static final SingleObjectCodec<ControlRecord> CODEC =
            new SingleObjectCodec<>(ControlRecord.class, ControlRecord.getClassSchema());

    private ControlCodec() {}

    /**
     * Encodes a control record.
     *
     * @throws IllegalArgumentException if a field the schema requires is null or of the wrong type
     */
    public static byte[] encode(ControlRecord record) {
        return CODEC.encode(record);
    }

    /**
     * Decodes bytes written by {@link #encode}. A Kafka tombstone (null value) is not a record;
     * handle it before calling this.
     *
     * @throws MalformedEventException with field {@code <bytes>} for null, empty, truncated or
     *     otherwise malformed input, an unknown schema fingerprint or trailing bytes; never
     *     anything else
     */
    public static ControlRecord decode(byte[] bytes) throws MalformedEventException {
        return CODEC.decode(bytes);
    }
}
