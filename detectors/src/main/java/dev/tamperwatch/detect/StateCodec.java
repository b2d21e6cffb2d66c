package dev.tamperwatch.detect;

/**
 * Versioned binary form of a detector state. The first byte of every encoding is the format
 * version; {@link #decode} reads every version it ever wrote and rejects others with {@link
 * IllegalArgumentException} naming the version found.
 */
public interface StateCodec<S> {

    byte[] encode(S state);

    S decode(byte[] bytes);
}
