package dev.tamperwatch.detect.tools;

/**
 * Stable hashes of names, targets and runs, identical on every JVM and in every release, so that
 * they can be stored in state: 64-bit FNV-1a over the UTF-8 bytes followed by the MurmurHash3
 * finalizer, which spreads every input bit over all output bits.
 */
final class Fingerprints {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Fingerprints() {}

    /**
     * 64-bit fingerprint of {@code value}'s UTF-8 bytes, as {@link String#getBytes} with UTF-8
     * gives them (an unpaired surrogate as {@code '?'}), encoded on the fly.
     */
    static long of(String value) {
        long hash = FNV_OFFSET;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                hash = step(hash, c);
            } else if (c < 0x800) {
                hash = step(step(hash, 0xC0 | c >> 6), 0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                hash =
                        step(
                                step(step(hash, 0xE0 | c >> 12), 0x80 | c >> 6 & 0x3F),
                                0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < length
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int code = Character.toCodePoint(c, value.charAt(++i));
                hash = step(step(hash, 0xF0 | code >> 18), 0x80 | code >> 12 & 0x3F);
                hash = step(step(hash, 0x80 | code >> 6 & 0x3F), 0x80 | code & 0x3F);
            } else {
                hash = step(hash, '?');
            }
        }
        return mix(hash);
    }

    private static long step(long hash, int octet) {
        return (hash ^ octet) * FNV_PRIME;
    }

    /** 32-bit fingerprint of {@code value}. */
    static int of32(String value) {
        return (int) (of(value) >>> 32);
    }

    /** 16-bit fingerprint of {@code value}, in [0, 65535]. */
    static int of16(String value) {
        return (int) (of(value) >>> 48);
    }

    /** 32-bit fingerprint of the ordered pair ({@code first}, {@code second}). */
    static int pair(int first, int second) {
        return (int) (mix(((long) first << 32 | (second & 0xFFFFFFFFL)) ^ FNV_OFFSET) >>> 32);
    }

    /** MurmurHash3's 64-bit finalizer. */
    private static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53e3c4fL;
        h ^= h >>> 33;
        return h;
    }
}
