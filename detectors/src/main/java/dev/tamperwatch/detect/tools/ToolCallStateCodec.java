package dev.tamperwatch.detect.tools;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import dev.tamperwatch.detect.state.VersionedCodec;
import java.util.HashSet;
import java.util.Set;

/**
 * Format 2: version byte; window start (zig-zag varint); "other" baseline weight (float); window
 * untracked calls and discoveries (varints); mean calls per window (float); horizon calls and
 * unlearned tools (varints); a flags byte (bit 0: the window alerted); tool count (varint) and per
 * tool its name (UTF-8), baseline weight (float), {@code windowCalls << 1 | flaggedNovel}, learned
 * calls, calls with a target, unlearned targets and window target discoveries (varints) and its
 * targets (2-byte fingerprints, see {@link FingerprintTable#writeTo}); transition trials, unlearned
 * transitions and window transition discoveries (varints) and the transitions (3-byte
 * fingerprints); the runs ({@link RunTable#writeTo}); then the evidence slots.
 *
 * <p>Format 1 (read only) is format 2's first five fields without the mean, then the tools with
 * name, weight and packed window calls only, then the evidence slots. It decodes with the novelty
 * counts rebuilt from the baseline: horizon calls the baseline size, each tool's calls its weight
 * (at least one), the "other" weight as unlearned tools, and no targets, transitions or runs — so
 * transition and target novelty start over while tool novelty carries on.
 */
final class ToolCallStateCodec extends VersionedCodec<ToolCallState> {

    private static final int MAX_TOOLS = 1 << 16;
    private static final int MAX_ITEMS = ToolCallDistributionConfig.MAX_TRACKED_ITEMS;
    private static final int TARGET_FINGERPRINT_BYTES = 2;
    private static final int TRANSITION_FINGERPRINT_BYTES = 3;
    private static final int WINDOW_ALERTED = 1;

    ToolCallStateCodec() {
        super(ToolCallDistributionDetector.NAME, 2);
    }

    @Override
    protected void writeBody(ToolCallState state, StateWriter out) {
        out.writeSignedVarLong(state.windowStart)
                .writeFloat(state.baselineOther)
                .writeVarLong(state.windowUntracked)
                .writeVarLong(state.windowDiscoveries)
                .writeFloat(state.meanWindowCalls)
                .writeVarLong(state.horizonCalls)
                .writeVarLong(state.toolsUnlearned)
                .writeByte(state.windowAlerted ? WINDOW_ALERTED : 0)
                .writeVarLong(state.tools.size());
        for (ToolCallState.Tool tool : state.tools) {
            out.writeString(tool.name)
                    .writeFloat(tool.baseline)
                    .writeVarLong(tool.windowCalls << 1 | (tool.flaggedNovel ? 1 : 0))
                    .writeVarLong(tool.calls)
                    .writeVarLong(tool.targetCalls)
                    .writeVarLong(tool.targetsUnlearned)
                    .writeVarLong(tool.windowTargetDiscoveries);
            tool.targets.writeTo(out, TARGET_FINGERPRINT_BYTES);
        }
        out.writeVarLong(state.transitionTrials)
                .writeVarLong(state.transitionsUnlearned)
                .writeVarLong(state.windowTransitionDiscoveries);
        state.transitions.writeTo(out, TRANSITION_FINGERPRINT_BYTES);
        state.runs.writeTo(out);
        state.evidence.writeTo(out);
    }

    @Override
    protected ToolCallState readBody(int version, StateReader in) {
        if (version != 1 && version != 2) {
            throw unsupportedVersion(version);
        }
        boolean current = version == 2;
        ToolCallState state = new ToolCallState();
        state.windowStart = in.readSignedVarLong();
        state.baselineOther = requireWeight(in.readFloat());
        state.windowUntracked = requireCount(in.readVarLong());
        state.windowDiscoveries = requireCount(in.readVarLong());
        if (current) {
            state.meanWindowCalls = requireWeight(in.readFloat());
            state.horizonCalls = requireCount(in.readVarLong());
            state.toolsUnlearned = requireCount(in.readVarLong());
            int flags = in.readByte();
            if ((flags & ~WINDOW_ALERTED) != 0) {
                throw new IllegalArgumentException("unknown flags in state: " + flags);
            }
            state.windowAlerted = (flags & WINDOW_ALERTED) != 0;
        }
        int count = in.readCount(MAX_TOOLS);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String name = in.readString();
            if (!names.add(name)) {
                throw new IllegalArgumentException("tool listed twice in state: " + name);
            }
            float baseline = requireWeight(in.readFloat());
            long packed = in.readVarLong();
            ToolCallState.Tool tool =
                    new ToolCallState.Tool(
                            name, baseline, requireCount(packed >>> 1), (packed & 1) != 0);
            if (current) {
                tool.calls = requireCount(in.readVarLong());
                tool.targetCalls = requireCount(in.readVarLong());
                tool.targetsUnlearned = requireCount(in.readVarLong());
                tool.windowTargetDiscoveries = requireCount(in.readVarLong());
                tool.targets = FingerprintTable.readFrom(in, TARGET_FINGERPRINT_BYTES, MAX_ITEMS);
            } else if (!tool.unseen()) {
                tool.calls = Math.max(1, Math.round(baseline));
            }
            state.tools.add(tool);
        }
        if (current) {
            state.transitionTrials = requireCount(in.readVarLong());
            state.transitionsUnlearned = requireCount(in.readVarLong());
            state.windowTransitionDiscoveries = requireCount(in.readVarLong());
            state.transitions =
                    FingerprintTable.readFrom(in, TRANSITION_FINGERPRINT_BYTES, MAX_ITEMS);
            state.runs = RunTable.readFrom(in, MAX_ITEMS);
        }
        state.evidence = EvidenceSlots.readFrom(in);
        if (!state.evidence.ids(tag -> tag < ToolCallState.UNTRACKED || tag >= count).isEmpty()) {
            throw new IllegalArgumentException("evidence refers to a tool not in the state");
        }
        state.recomputeDerived();
        if (!current) {
            state.horizonCalls = Math.round(state.baselineSize());
            state.toolsUnlearned = (long) Math.ceil(state.baselineOther);
        }
        return state;
    }

    private static float requireWeight(float weight) {
        if (!Float.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException("invalid baseline weight in state: " + weight);
        }
        return weight;
    }

    private static long requireCount(long count) {
        if (count < 0 || count > Long.MAX_VALUE >> 2) {
            throw new IllegalArgumentException("invalid count in state: " + count);
        }
        return count;
    }
}
