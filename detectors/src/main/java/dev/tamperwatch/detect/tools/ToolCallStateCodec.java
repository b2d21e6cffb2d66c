package dev.tamperwatch.detect.tools;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import dev.tamperwatch.detect.state.VersionedCodec;
import java.util.HashSet;
import java.util.Set;

/**
 * Format 1: version byte, window start (zig-zag varint), "other" baseline weight (float), window
 * untracked calls and discoveries (varints), tool count (varint) and per tool its name (UTF-8),
 * baseline weight (float) and {@code windowCalls << 1 | flaggedNovel} (varint), then the evidence
 * slots.
 */
final class ToolCallStateCodec extends VersionedCodec<ToolCallState> {

    private static final int MAX_TOOLS = 1 << 16;

    ToolCallStateCodec() {
        super(ToolCallDistributionDetector.NAME, 1);
    }

    @Override
    protected void writeBody(ToolCallState state, StateWriter out) {
        out.writeSignedVarLong(state.windowStart)
                .writeFloat(state.baselineOther)
                .writeVarLong(state.windowUntracked)
                .writeVarLong(state.windowDiscoveries)
                .writeVarLong(state.tools.size());
        for (ToolCallState.Tool tool : state.tools) {
            out.writeString(tool.name)
                    .writeFloat(tool.baseline)
                    .writeVarLong(tool.windowCalls << 1 | (tool.flaggedNovel ? 1 : 0));
        }
        state.evidence.writeTo(out);
    }

    @Override
    protected ToolCallState readBody(int version, StateReader in) {
        if (version != 1) {
            throw unsupportedVersion(version);
        }
        ToolCallState state = new ToolCallState();
        state.windowStart = in.readSignedVarLong();
        state.baselineOther = requireWeight(in.readFloat());
        state.windowUntracked = requireCount(in.readVarLong());
        state.windowDiscoveries = requireCount(in.readVarLong());
        int count = in.readCount(MAX_TOOLS);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String name = in.readString();
            if (!names.add(name)) {
                throw new IllegalArgumentException("tool listed twice in state: " + name);
            }
            float baseline = requireWeight(in.readFloat());
            long packed = in.readVarLong();
            state.tools.add(
                    new ToolCallState.Tool(
                            name, baseline, requireCount(packed >>> 1), (packed & 1) != 0));
        }
        state.evidence = EvidenceSlots.readFrom(in);
        if (!state.evidence.ids(tag -> tag < ToolCallState.UNTRACKED || tag >= count).isEmpty()) {
            throw new IllegalArgumentException("evidence refers to a tool not in the state");
        }
        state.recomputeDerived();
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
