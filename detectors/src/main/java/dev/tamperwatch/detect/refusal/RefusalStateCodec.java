package dev.tamperwatch.detect.refusal;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import dev.tamperwatch.detect.state.VersionedCodec;

/**
 * Format 2 (written): version byte, baseline refused and answered (doubles), window start (zig-zag
 * varint), window refused and total (varints), evidence slots, held-back refusals and outputs
 * (varints), then a flags byte — bit 0 peer prior, bit 1 rising CUSUM run, bit 2 falling CUSUM run,
 * bit 3 prior weight below one — followed by what the set flags announce, in that order: the peer
 * prior's two shapes (doubles); per run its statistic (double), start (zig-zag varint), refusals
 * and outputs (varints); the prior weight (double).
 *
 * <p>Format 1 (read only) is format 2 up to the evidence slots; it decodes to a state with the
 * population prior at full weight and both CUSUMs at zero.
 */
final class RefusalStateCodec extends VersionedCodec<RefusalState> {

    private static final int PEER_PRIOR = 1;
    private static final int UP_RUN = 2;
    private static final int DOWN_RUN = 4;
    private static final int PRIOR_FADED = 8;

    RefusalStateCodec() {
        super(RefusalRateDetector.NAME, 2);
    }

    @Override
    protected void writeBody(RefusalState state, StateWriter out) {
        out.writeDouble(state.baselineRefused)
                .writeDouble(state.baselineAnswered)
                .writeSignedVarLong(state.windowStart)
                .writeVarLong(state.windowRefused)
                .writeVarLong(state.windowTotal);
        state.evidence.writeTo(out);
        out.writeVarLong(state.pendingRefused).writeVarLong(state.pendingTotal);
        int flags =
                (state.hasPeerPrior() ? PEER_PRIOR : 0)
                        | (state.cusumUp > 0 ? UP_RUN : 0)
                        | (state.cusumDown > 0 ? DOWN_RUN : 0)
                        | (state.priorWeight != 1.0 ? PRIOR_FADED : 0);
        out.writeByte(flags);
        if (state.hasPeerPrior()) {
            out.writeDouble(state.peerAlpha).writeDouble(state.peerBeta);
        }
        if (state.cusumUp > 0) {
            writeRun(out, state.cusumUp, state.upRun);
        }
        if (state.cusumDown > 0) {
            writeRun(out, state.cusumDown, state.downRun);
        }
        if (state.priorWeight != 1.0) {
            out.writeDouble(state.priorWeight);
        }
    }

    @Override
    protected RefusalState readBody(int version, StateReader in) {
        if (version != 1 && version != 2) {
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
        if (version == 1) {
            return state;
        }
        state.pendingRefused = in.readVarLong();
        state.pendingTotal = in.readVarLong();
        if (state.pendingRefused < 0 || state.pendingTotal < state.pendingRefused) {
            throw new IllegalArgumentException(
                    "inconsistent held-back counts in refusal-rate state");
        }
        int flags = in.readByte();
        if ((flags & ~(PEER_PRIOR | UP_RUN | DOWN_RUN | PRIOR_FADED)) != 0) {
            throw new IllegalArgumentException("unknown refusal-rate state flags: " + flags);
        }
        if ((flags & PEER_PRIOR) != 0) {
            state.peerAlpha = in.readDouble();
            state.peerBeta = in.readDouble();
            if (!isShape(state.peerAlpha) || !isShape(state.peerBeta)) {
                throw new IllegalArgumentException("invalid peer prior in refusal-rate state");
            }
        }
        if ((flags & UP_RUN) != 0) {
            state.cusumUp = readRun(in, state.upRun);
        }
        if ((flags & DOWN_RUN) != 0) {
            state.cusumDown = readRun(in, state.downRun);
        }
        if ((flags & PRIOR_FADED) != 0) {
            state.priorWeight = in.readDouble();
            if (!(state.priorWeight >= 0 && state.priorWeight < 1)) {
                throw new IllegalArgumentException(
                        "invalid prior weight in refusal-rate state: " + state.priorWeight);
            }
        }
        return state;
    }

    private static void writeRun(StateWriter out, double sum, RefusalState.Run run) {
        out.writeDouble(sum)
                .writeSignedVarLong(run.start)
                .writeVarLong(run.refused)
                .writeVarLong(run.total);
    }

    private static double readRun(StateReader in, RefusalState.Run run) {
        double sum = in.readDouble();
        run.start = in.readSignedVarLong();
        run.refused = in.readVarLong();
        run.total = in.readVarLong();
        if (!(sum > 0) || Double.isInfinite(sum) || run.refused < 0 || run.total < run.refused) {
            throw new IllegalArgumentException("inconsistent CUSUM run in refusal-rate state");
        }
        return sum;
    }

    private static boolean isCount(double value) {
        return Double.isFinite(value) && value >= 0;
    }

    private static boolean isShape(double value) {
        return Double.isFinite(value) && value > 0;
    }
}
