package dev.tamperwatch.schema;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one generated record type: the marker {@code 0xC3 0x01}, the
 * 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body.
 * Thread-safe.
 */
final class SingleObjectCodec<T extends SpecificRecord> {

    /** First byte of the single-object encoding marker. */
    static final byte MARKER_0 = (byte) 0xC3;

    /** Second byte of the single-object encoding marker. */
    static final byte MARKER_1 = 0x01;

    private static final int HEADER_LENGTH = 10;

    private final String typeName;
    private final long fingerprint;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    SingleObjectCodec(Class<T> type, Schema schema) {
        this.typeName = type.getSimpleName();
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.writer = new SpecificDatumWriter<>(type);
        this.reader = new SpecificDatumReader<>(type);
    }

    /** Whether {@code bytes} starts with the single-object encoding marker. */
    static boolean hasMarker(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == MARKER_0 && bytes[1] == MARKER_1;
    }

    byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MARKER_0);
        out.write(MARKER_1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)));
        }
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (AvroRuntimeException | NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException(
                    typeName + " cannot be encoded: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    T decode(byte[] bytes) throws MalformedEventException {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedEventException(
                    MalformedEventException.BYTES, "empty value is not an encoded " + typeName);
        }
        if (bytes.length < HEADER_LENGTH || !hasMarker(bytes)) {
            throw new MalformedEventException(
                    MalformedEventException.BYTES,
                    "not an Avro single-object encoded "
                            + typeName
                            + " (no 0xC3 0x01 marker and 8-byte fingerprint)");
        }
        long written = readFingerprint(bytes);
        if (written != fingerprint) {
            throw new MalformedEventException(
                    MalformedEventException.BYTES,
                    String.format(
                            "not an Avro single-object encoded %s (fingerprint 0x%016x unknown)",
                            typeName, written));
        }
        BoundedBinaryDecoder decoder =
                new BoundedBinaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new MalformedEventException(
                    MalformedEventException.BYTES,
                    "malformed Avro " + typeName + " body: " + describe(e),
                    e);
        }
        if (decoder.remaining() > 0) {
            throw new MalformedEventException(
                    MalformedEventException.BYTES,
                    decoder.remaining() + " unexpected bytes after the " + typeName);
        }
        return record;
    }

    private static long readFingerprint(byte[] bytes) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (bytes[2 + i] & 0xFFL) << (8 * i);
        }
        return value;
    }

    private static String describe(Exception e) {
        if (e instanceof EOFException) {
            return "truncated";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
