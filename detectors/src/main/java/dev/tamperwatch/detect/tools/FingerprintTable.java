package dev.tamperwatch.detect.tools;

import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import java.util.Arrays;

/**
 * A bounded set of fingerprints (of transitions or targets), each with how often it was seen and
 * whether it was first seen in the open window (<em>fresh</em>). Fresh entries become learned when
 * the window closes without an alert, and are dropped otherwise.
 *
 * <p>When full, a new fingerprint replaces the entry seen least often, a fresh one before a learned
 * one on ties, so that a burst of never-seen items displaces other rare items, never the regular
 * ones. Lookup is a linear scan: the table holds at most a few dozen entries.
 */
final class FingerprintTable {

    /** Result of {@link #insertFresh}: the fingerprint could not be stored. */
    static final int NOT_STORED = -1;

    /** Result of {@link #insertFresh}: stored without displacing anything. */
    static final int STORED = 0;

    /** Result of {@link #insertFresh}: stored in place of a fresh entry. */
    static final int DISPLACED_FRESH = 1;

    /** Result of {@link #insertFresh}: stored in place of a learned entry. */
    static final int DISPLACED_LEARNED = 2;

    /** Counts saturate here, so that an entry encodes in at most two bytes plus its fingerprint. */
    static final int MAX_COUNT = (1 << 13) - 1;

    private int[] fingerprints = new int[0];
    private int[] counts = new int[0];
    private boolean[] fresh = new boolean[0];
    private int size;

    int size() {
        return size;
    }

    int fingerprint(int index) {
        return fingerprints[index];
    }

    int count(int index) {
        return counts[index];
    }

    boolean fresh(int index) {
        return fresh[index];
    }

    /** Index of {@code fingerprint}, or -1. */
    int indexOf(int fingerprint) {
        for (int i = 0; i < size; i++) {
            if (fingerprints[i] == fingerprint) {
                return i;
            }
        }
        return -1;
    }

    /** Counts one more sighting of the entry at {@code index}. */
    void increment(int index) {
        if (counts[index] < MAX_COUNT) {
            counts[index]++;
        }
    }

    /**
     * Stores {@code fingerprint} as fresh, seen once; when the table already holds {@code capacity}
     * entries, in place of the entry seen least often.
     *
     * @return {@link #STORED}, {@link #DISPLACED_FRESH}, {@link #DISPLACED_LEARNED}, or {@link
     *     #NOT_STORED} when {@code capacity} is 0
     */
    int insertFresh(int fingerprint, int capacity) {
        if (size < capacity) {
            add(fingerprint, 1, true);
            return STORED;
        }
        if (size == 0) {
            return NOT_STORED;
        }
        int victim = 0;
        for (int i = 1; i < size; i++) {
            if (counts[i] < counts[victim]
                    || counts[i] == counts[victim] && fresh[i] && !fresh[victim]) {
                victim = i;
            }
        }
        int displaced = fresh[victim] ? DISPLACED_FRESH : DISPLACED_LEARNED;
        fingerprints[victim] = fingerprint;
        counts[victim] = 1;
        fresh[victim] = true;
        return displaced;
    }

    /** A copy of the learned entries, without the fresh ones. */
    FingerprintTable learnedCopy() {
        FingerprintTable copy = new FingerprintTable();
        for (int i = 0; i < size; i++) {
            if (!fresh[i]) {
                copy.add(fingerprints[i], counts[i], false);
            }
        }
        return copy;
    }

    /** Sightings over all entries. */
    long totalCount() {
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += counts[i];
        }
        return total;
    }

    /** Learned entries seen exactly once. */
    int learnedSingletons() {
        int singletons = 0;
        for (int i = 0; i < size; i++) {
            if (!fresh[i] && counts[i] == 1) {
                singletons++;
            }
        }
        return singletons;
    }

    /**
     * Ends the window: keeps the fresh entries as learned when {@code learn}, drops them otherwise.
     *
     * @return how many fresh entries became learned
     */
    int closeWindow(boolean learn) {
        int kept = 0;
        int next = 0;
        for (int i = 0; i < size; i++) {
            if (fresh[i] && !learn) {
                continue;
            }
            if (fresh[i]) {
                kept++;
            }
            fingerprints[next] = fingerprints[i];
            counts[next] = counts[i];
            fresh[next] = false;
            next++;
        }
        size = next;
        return kept;
    }

    /** Halves every count, rounding up so that nothing seen is forgotten. */
    void halve() {
        for (int i = 0; i < size; i++) {
            counts[i] = (counts[i] + 1) >>> 1;
        }
    }

    /**
     * Writes the entries: their number, then per entry the fingerprint in {@code fingerprintBytes}
     * big-endian bytes and {@code count << 1 | fresh} as a variable-length integer.
     */
    void writeTo(StateWriter out, int fingerprintBytes) {
        out.writeVarLong(size);
        for (int i = 0; i < size; i++) {
            for (int shift = 8 * (fingerprintBytes - 1); shift >= 0; shift -= 8) {
                out.writeByte(fingerprints[i] >>> shift);
            }
            out.writeVarLong((long) counts[i] << 1 | (fresh[i] ? 1 : 0));
        }
    }

    /** Reads what {@link #writeTo} wrote; rejects duplicates, zero counts and oversized tables. */
    static FingerprintTable readFrom(StateReader in, int fingerprintBytes, int maxEntries) {
        FingerprintTable table = new FingerprintTable();
        int entries = in.readCount(maxEntries);
        for (int i = 0; i < entries; i++) {
            int fingerprint = 0;
            for (int b = 0; b < fingerprintBytes; b++) {
                fingerprint = fingerprint << 8 | in.readByte();
            }
            long packed = in.readVarLong();
            long count = packed >>> 1;
            if (count < 1 || count > MAX_COUNT) {
                throw new IllegalArgumentException("invalid sighting count in state: " + count);
            }
            if (table.indexOf(fingerprint) >= 0) {
                throw new IllegalArgumentException("fingerprint listed twice in state");
            }
            table.add(fingerprint, (int) count, (packed & 1) != 0);
        }
        return table;
    }

    /** Equal when the same entries appear in the same order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof FingerprintTable that
                && size == that.size
                && Arrays.equals(fingerprints, 0, size, that.fingerprints, 0, size)
                && Arrays.equals(counts, 0, size, that.counts, 0, size)
                && Arrays.equals(fresh, 0, size, that.fresh, 0, size);
    }

    @Override
    public int hashCode() {
        int hash = size;
        for (int i = 0; i < size; i++) {
            hash = 31 * hash + fingerprints[i];
        }
        return hash;
    }

    private void add(int fingerprint, int count, boolean isFresh) {
        if (size == fingerprints.length) {
            int grown = Math.max(4, size * 2);
            fingerprints = Arrays.copyOf(fingerprints, grown);
            counts = Arrays.copyOf(counts, grown);
            fresh = Arrays.copyOf(fresh, grown);
        }
        fingerprints[size] = fingerprint;
        counts[size] = count;
        fresh[size] = isFresh;
        size++;
    }
}
