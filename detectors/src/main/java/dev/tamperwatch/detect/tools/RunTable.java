package dev.tamperwatch.detect.tools;

import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The last call of the few runs of one key seen most recently, to pair each call with the call
 * before it in its run. Runs are identified by a 32-bit fingerprint of their id; the least recently
 * seen run is forgotten when the table is full.
 *
 * <p>A call continues its run's last call when their steps are consecutive, or when either step is
 * unknown (calls then pair in arrival order). A call whose step is not after the last one (late or
 * repeated) pairs with nothing and leaves the run unchanged; one that skips steps pairs with
 * nothing and becomes the run's last call. A run not in the table starts at step 0: its first call
 * pairs with the run start. A call of an unknown run at a later or unknown step pairs with nothing,
 * because its predecessor may have been forgotten.
 */
final class RunTable {

    /** Returned by {@link #observe} when the call pairs with nothing. */
    static final long NO_PREVIOUS = Long.MIN_VALUE;

    /** Fingerprint standing for the start of a run, as the "previous tool" of its first call. */
    static final int RUN_START = Fingerprints.of32("\u0000run-start");

    /** One remembered run. */
    record Run(int run, int lastTool, int lastStep) {}

    /** Least recently seen first. */
    final List<Run> runs = new ArrayList<>();

    /**
     * Records a call of {@code tool} at {@code step} in run {@code runId}.
     *
     * @param capacity most runs to remember; 0 records nothing
     * @return fingerprint of the previous tool in the run ({@link #RUN_START} for the first call),
     *     or {@link #NO_PREVIOUS}
     */
    long observe(String runId, int step, int tool, int capacity) {
        if (runId == null || capacity == 0) {
            return NO_PREVIOUS;
        }
        int run = Fingerprints.of32(runId);
        int index = indexOf(run);
        long previous;
        if (index < 0) {
            previous = step == 0 ? RUN_START : NO_PREVIOUS;
            while (runs.size() >= capacity) {
                runs.remove(0);
            }
        } else {
            Run last = runs.remove(index);
            boolean unknownOrder = step == ToolCall.NO_STEP || last.lastStep() == ToolCall.NO_STEP;
            if (!unknownOrder && step <= last.lastStep()) {
                runs.add(last);
                return NO_PREVIOUS;
            }
            previous = unknownOrder || step == last.lastStep() + 1 ? last.lastTool() : NO_PREVIOUS;
        }
        runs.add(new Run(run, tool, step));
        return previous;
    }

    private int indexOf(int run) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).run() == run) {
                return i;
            }
        }
        return -1;
    }

    /** Count, then per run its fingerprint and last tool (4 bytes each) and last step + 1. */
    void writeTo(StateWriter out) {
        out.writeVarLong(runs.size());
        for (Run run : runs) {
            writeInt(out, run.run());
            writeInt(out, run.lastTool());
            out.writeVarLong(run.lastStep() + 1L);
        }
    }

    static RunTable readFrom(StateReader in, int maxRuns) {
        RunTable table = new RunTable();
        int count = in.readCount(maxRuns);
        for (int i = 0; i < count; i++) {
            int run = readInt(in);
            int tool = readInt(in);
            long step = in.readVarLong() - 1;
            if (step < ToolCall.NO_STEP || step > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("invalid run step in state: " + step);
            }
            if (table.indexOf(run) >= 0) {
                throw new IllegalArgumentException("run listed twice in state");
            }
            table.runs.add(new Run(run, tool, (int) step));
        }
        return table;
    }

    static void writeInt(StateWriter out, int value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.writeByte(value >>> shift);
        }
    }

    static int readInt(StateReader in) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = value << 8 | in.readByte();
        }
        return value;
    }
}
