package dev.tamperwatch.detect.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Growable big-endian binary writer for detector states: fixed-width floats and doubles, LEB128
 * variable-length integers, length-prefixed UTF-8 strings and compact event ids.
 */
public final class StateWriter {

    private byte[] buffer = new byte[64];
    private int size;

    public StateWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    /** Unsigned LEB128: one byte per 7 bits, the top bit telling that more follow. */
    public StateWriter writeVarLong(long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            writeByte((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        return writeByte((int) rest);
    }

    /** Zig-zag encoded so that values near zero of either sign take few bytes. */
    public StateWriter writeSignedVarLong(long value) {
        return writeVarLong((value << 1) ^ (value >> 63));
    }

    public StateWriter writeLong(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            writeByte((int) (value >>> shift));
        }
        return this;
    }

    public StateWriter writeDouble(double value) {
        return writeLong(Double.doubleToLongBits(value));
    }

    public StateWriter writeFloat(float value) {
        int bits = Float.floatToIntBits(value);
        for (int shift = 24; shift >= 0; shift -= 8) {
            writeByte(bits >>> shift);
        }
        return this;
    }

    /** Byte length as a variable-length integer, then the UTF-8 bytes. */
    public StateWriter writeString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeVarLong(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /**
     * An event id: a 0 byte and 16 bytes when it is a UUID in canonical lower-case form (so that it
     * decodes to the identical string), otherwise as {@link #writeString} with the length offset by
     * one.
     */
    public StateWriter writeEventId(String eventId) {
        UUID uuid = EventIds.parseCanonicalUuid(eventId);
        if (uuid != null) {
            writeByte(0);
            writeLong(uuid.getMostSignificantBits());
            return writeLong(uuid.getLeastSignificantBits());
        }
        byte[] bytes = eventId.getBytes(StandardCharsets.UTF_8);
        writeVarLong(bytes.length + 1L);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
