package dev.tamperwatch.job.baseline;

/**
 * A peer group's baseline for one detector, broadcast to the operators that score the group's
 * members. A Flink POJO.
 */
public class PeerSnapshot {
    /** The peer group, e.g. {@code acme/crm} (tenant and application). */
    public String peerKey;

    public String detector;

    /** Event time the baseline was taken at: the end of the window the group last closed. */
    public long asOf;

    /** Mean number of members active in a window of the group, at least 1. */
    public double members;

    /** The detector's encoded state for the whole group. */
    public byte[] state;

    public PeerSnapshot() {}

    public PeerSnapshot(String peerKey, String detector, long asOf, double members, byte[] state) {
        this.peerKey = peerKey;
        this.detector = detector;
        this.asOf = asOf;
        this.members = members;
        this.state = state;
    }

    /** Key of the snapshot in the broadcast state. */
    public String slot() {
        return slot(peerKey, detector);
    }

    /** The snapshot as an entry of the group's {@link PeerHistory}. */
    PeerHistory.Baseline baseline() {
        return new PeerHistory.Baseline(asOf, members, state);
    }

    static String slot(String peerKey, String detector) {
        return peerKey + "|" + detector;
    }
}
