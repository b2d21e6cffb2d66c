package dev.tamperwatch.detect.state;

import dev.tamperwatch.detect.StateCodec;

/**
 * Base of state codecs: writes the current format version as the first byte, dispatches decoding on
 * that byte, and rejects empty, truncated, trailing or unknown-version input with {@link
 * IllegalArgumentException}.
 */
public abstract class VersionedCodec<S> implements StateCodec<S> {

    private final String stateName;
    private final int currentVersion;

    /**
     * @param stateName what the state belongs to, for error messages, e.g. {@code refusal-rate}
     * @param currentVersion version written by {@link #encode}, in [0, 255]
     */
    protected VersionedCodec(String stateName, int currentVersion) {
        this.stateName = stateName;
        this.currentVersion = currentVersion;
    }

    @Override
    public final byte[] encode(S state) {
        StateWriter out = new StateWriter().writeByte(currentVersion);
        writeBody(state, out);
        return out.toByteArray();
    }

    @Override
    public final S decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("empty " + stateName + " state");
        }
        StateReader in = new StateReader(bytes, 1);
        S state = readBody(bytes[0] & 0xFF, in);
        in.expectEnd();
        return state;
    }

    /** Writes everything after the version byte in the current format. */
    protected abstract void writeBody(S state, StateWriter out);

    /**
     * Reads everything after the version byte, written in format {@code version}; throws {@link
     * #unsupportedVersion} for a version it does not know.
     */
    protected abstract S readBody(int version, StateReader in);

    protected final IllegalArgumentException unsupportedVersion(int version) {
        return new IllegalArgumentException(
                "unsupported " + stateName + " state version " + version);
    }
}
