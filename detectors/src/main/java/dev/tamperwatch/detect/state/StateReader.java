package dev.tamperwatch.detect.state;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads what {@link StateWriter} wrote. Every read checks bounds and throws {@link
 * IllegalArgumentException} on truncated or malformed input.
 */
public final class StateReader {

    private final byte[] bytes;
    private int position;

    public StateReader(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.position = offset;
    }

    public int readByte() {
        require(1);
        return bytes[position++] & 0xFF;
    }

    public long readVarLong() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed variable-length integer at byte " + position);
    }

    public long readSignedVarLong() {
        long raw = readVarLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A variable-length integer that must lie in [0, {@code max}]. */
    public int readCount(int max) {
        long value = readVarLong();
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("count " + value + " out of range [0, " + max + "]");
        }
        return (int) value;
    }

    public long readLong() {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | readByte();
        }
        return value;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public float readFloat() {
        int bits = 0;
        for (int i = 0; i < 4; i++) {
            bits = bits << 8 | readByte();
        }
        return Float.intBitsToFloat(bits);
    }

    public String readString() {
        return utf8(readCount(bytes.length));
    }

    public String readEventId() {
        int lengthPlusOne = readCount(bytes.length + 1);
        if (lengthPlusOne == 0) {
            return new UUID(readLong(), readLong()).toString();
        }
        return utf8(lengthPlusOne - 1);
    }

    /** Throws unless every byte has been read. */
    public void expectEnd() {
        if (position != bytes.length) {
            throw new IllegalArgumentException(
                    (bytes.length - position) + " unexpected trailing bytes in state");
        }
    }

    private String utf8(int length) {
        require(length);
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    private void require(int length) {
        if (length > bytes.length - position) {
            throw new IllegalArgumentException(
                    "truncated state: needs " + length + " more bytes at byte " + position);
        }
    }
}
