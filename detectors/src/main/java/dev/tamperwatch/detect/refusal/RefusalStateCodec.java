package dev.tamperwatch.detect.refusal;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import dev.tamperwatch.detect.state.VersionedCodec;

/**
 * Format 1: version byte, baseline refused and answered (doubles), window start (zig-zag varint),
 * window refused and total (varints), evidence slots.
 */
final class RefusalStateCodec extends VersionedCodec<RefusalState> {

    RefusalStateCodec() {
        super(RefusalRateDetector.NAME, 1);
    }

    @Override
    protected void writeBody(RefusalState state, StateWriter out) {
        out.writeDouble(state.baselineRefused)
                .writeDouble(state.baselineAnswered)
                .writeSignedVarLong(state.windowStart)
                .writeVarLong(state.windowRefused)
                .writeVarLong(state.windowTotal);
        state.evidence.writeTo(out);
    }

    @Override
    protected RefusalState readBody(int version, StateReader in) {
        if (version != 1) {
            throw unsupportedVersion(version);
        }
        RefusalState state = new RefusalState();
        state.baselineRefused = in.readDouble();
        state.baselineAnswered = in.readDouble();
        state.windowStart = in.readSignedVarLong();
        state.windowRefused = in.readVarLong();
        state.windowTotal = in.readVarLong();
        if (state.windowRefused < 0
                || state.windowTotal < state.windowRefused
                || !isCount(state.baselineRefused)
                || !isCount(state.baselineAnswered)) {
            throw new IllegalArgumentException("inconsistent refusal-rate state counts");
        }
        state.evidence = EvidenceSlots.readFrom(in);
        return state;
    }

    private static boolean isCount(double value) {
        return Double.isFinite(value) && value >= 0;
    }
}
