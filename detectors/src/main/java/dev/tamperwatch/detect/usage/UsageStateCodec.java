package dev.tamperwatch.detect.usage;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import dev.tamperwatch.detect.state.VersionedCodec;

/**
 * Format 2 (written): version byte, window start (zig-zag varint), window events, token events and
 * token sum (varints); then output tokens and output characters, each as its histogram ({@link
 * LogHistogram#writeTo}), fast score, learned spread and its weight (doubles) and the outputs that
 * moved the fast score in the open window (varint); then the window token-sum histogram and the
 * evidence slots.
 *
 * <p>Format 1 (read only) is format 2 without the spreads, their weights and the open window's
 * scored outputs; it decodes to a state that has learned no spread, whose gradual-growth test
 * starts from the variance of independent outputs.
 */
final class UsageStateCodec extends VersionedCodec<UsageState> {

    UsageStateCodec() {
        super(UsageDetector.NAME, 2);
    }

    @Override
    protected void writeBody(UsageState state, StateWriter out) {
        out.writeSignedVarLong(state.windowStart)
                .writeVarLong(state.windowEvents)
                .writeVarLong(state.windowTokenEvents)
                .writeVarLong(state.windowTokenSum);
        writeSize(state.outputTokens, out);
        writeSize(state.outputChars, out);
        state.windowTokens.writeTo(out);
        state.evidence.writeTo(out);
    }

    @Override
    protected UsageState readBody(int version, StateReader in) {
        if (version != 1 && version != 2) {
            throw unsupportedVersion(version);
        }
        UsageState state = new UsageState();
        state.windowStart = in.readSignedVarLong();
        state.windowEvents = in.readVarLong();
        state.windowTokenEvents = in.readVarLong();
        state.windowTokenSum = in.readVarLong();
        if (state.windowEvents < 0
                || state.windowTokenEvents < 0
                || state.windowTokenEvents > state.windowEvents
                || state.windowTokenSum < 0) {
            throw new IllegalArgumentException("inconsistent usage state window counts");
        }
        readSize(state.outputTokens, version, in);
        readSize(state.outputChars, version, in);
        state.windowTokens = LogHistogram.readFrom(in, UsageState.MAX_WINDOW_BINS);
        state.evidence = EvidenceSlots.readFrom(in);
        return state;
    }

    private static void writeSize(UsageState.SizeBaseline size, StateWriter out) {
        size.slow.writeTo(out);
        out.writeDouble(size.fast)
                .writeDouble(size.spread)
                .writeDouble(size.spreadWeight)
                .writeVarLong(size.windowScored);
    }

    private static void readSize(UsageState.SizeBaseline size, int version, StateReader in) {
        size.slow = LogHistogram.readFrom(in, UsageState.MAX_OUTPUT_BINS);
        size.fast = in.readDouble();
        if (!Double.isFinite(size.fast) || Math.abs(size.fast) > UsageDetector.MAX_SCORE) {
            throw new IllegalArgumentException("invalid fast score in usage state: " + size.fast);
        }
        if (version == 1) {
            return;
        }
        size.spread = in.readDouble();
        size.spreadWeight = in.readDouble();
        size.windowScored = in.readVarLong();
        if (!(size.spread >= 0 && size.spread <= UsageDetector.MAX_SPREAD)
                || !(size.spreadWeight >= 0)
                || Double.isInfinite(size.spreadWeight)
                || size.windowScored < 0) {
            throw new IllegalArgumentException(
                    "invalid spread in usage state: "
                            + size.spread
                            + " over "
                            + size.spreadWeight
                            + " outputs, "
                            + size.windowScored
                            + " in the open window");
        }
    }
}
