package dev.tamperwatch.job.baseline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest baselines of one peer group for one detector, each with the event time it was taken
 * at, kept in broadcast state as one byte array, in time order whatever order the snapshots reach
 * an operator instance in.
 *
 * <p>A member is seeded with the latest baseline taken at or before its first event: a value that
 * does not depend on when the snapshots happen to arrive, once the watermark has passed that event.
 * Snapshots can arrive well before the keyed events of their time (the keyed input lags behind the
 * small broadcast one during a catch-up), so a baseline is dropped only when a later one already
 * covers every time still to be asked for, not because newer ones arrived. Instances drop at their
 * own watermarks, so their values may differ by baselines no longer asked for; restored onto more
 * instances than it was taken from, a new instance gets another's copy and may lack a baseline one
 * of its keys would have asked for (that key is then seeded from a later one, or not at all).
 *
 * <p>Layout: a version byte, a count, then per baseline (oldest first) its time, members, length
 * and bytes.
 */
final class PeerHistory {

    /**
     * Most baselines kept per group and detector, whatever the watermark: a keyed input lagging
     * more windows than this behind the snapshots may seed some keys from a later baseline.
     */
    static final int CAPACITY = 24;

    private static final byte VERSION = 1;

    private PeerHistory() {}

    /**
     * A peer group's baseline for one detector.
     *
     * @param asOf event time it was taken at
     * @param members mean number of members active in a window of the group, at least 1
     * @param state the detector's encoded state for the whole group
     */
    record Baseline(long asOf, double members, byte[] state) {}

    /**
     * {@code history} (null for none) with {@code baseline} added, in time order, replacing one
     * taken at the same time; keeps what {@link #latestAtOrBefore} can return for any time at or
     * after {@code earliestAsked} — the latest baseline at or before it and every later one — and
     * of those at most the latest {@link #CAPACITY}.
     */
    static byte[] with(byte[] history, Baseline baseline, long earliestAsked) {
        List<Baseline> entries = decode(history);
        entries.removeIf(entry -> entry.asOf == baseline.asOf);
        int at = 0;
        while (at < entries.size() && entries.get(at).asOf < baseline.asOf) {
            at++;
        }
        entries.add(at, baseline);
        while (entries.size() > 1 && entries.get(1).asOf <= earliestAsked) {
            entries.remove(0);
        }
        while (entries.size() > CAPACITY) {
            entries.remove(0);
        }
        return encode(entries);
    }

    /**
     * The latest baseline in {@code history} taken at or before {@code time}, or null when there is
     * none (no history, or every baseline kept is younger).
     */
    static Baseline latestAtOrBefore(byte[] history, long time) {
        Baseline latest = null;
        for (Baseline entry : decode(history)) {
            if (entry.asOf <= time) {
                latest = entry;
            }
        }
        return latest;
    }

    private static List<Baseline> decode(byte[] history) {
        List<Baseline> entries = new ArrayList<>(CAPACITY + 1);
        if (history == null) {
            return entries;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(history))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("peer history version " + version + " unknown");
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                long asOf = in.readLong();
                double members = in.readDouble();
                byte[] state = new byte[in.readInt()];
                in.readFully(state);
                entries.add(new Baseline(asOf, members, state));
            }
            return entries;
        } catch (IOException e) {
            throw new IllegalStateException("corrupt peer history", e);
        }
    }

    private static byte[] encode(List<Baseline> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(entries.size());
            for (Baseline entry : entries) {
                out.writeLong(entry.asOf);
                out.writeDouble(entry.members);
                out.writeInt(entry.state.length);
                out.write(entry.state);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
