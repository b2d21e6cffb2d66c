package dev.tamperwatch.detect.usage;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import dev.tamperwatch.detect.state.VersionedCodec;

/**
 * Format 1: version byte, window start (zig-zag varint), window events, token events and token sum
 * (varints); then output tokens and output characters, each as its histogram ({@link
 * LogHistogram#writeTo}) and fast score (double); then the window token-sum histogram and the
 * evidence slots.
 */
final class UsageStateCodec extends VersionedCodec<UsageState> {

    UsageStateCodec() {
        super(UsageDetector.NAME, 1);
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
        if (version != 1) {
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
        readSize(state.outputTokens, in);
        readSize(state.outputChars, in);
        state.windowTokens = LogHistogram.readFrom(in, UsageState.MAX_WINDOW_BINS);
        state.evidence = EvidenceSlots.readFrom(in);
        return state;
    }

    private static void writeSize(UsageState.SizeBaseline size, StateWriter out) {
        size.slow.writeTo(out);
        out.writeDouble(size.fast);
    }

    private static void readSize(UsageState.SizeBaseline size, StateReader in) {
        size.slow = LogHistogram.readFrom(in, UsageState.MAX_OUTPUT_BINS);
        size.fast = in.readDouble();
        if (!Double.isFinite(size.fast) || Math.abs(size.fast) > UsageDetector.MAX_SCORE) {
            throw new IllegalArgumentException("invalid fast score in usage state: " + size.fast);
        }
    }
}
