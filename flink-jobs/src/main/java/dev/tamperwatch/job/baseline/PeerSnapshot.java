package dev.tamperwatch.job.baseline;

/**
 * A peer group's baseline for one detector, broadcast to the operators that score the group's
 * members. A Flink POJO.
 */
public class PeerSnapshot {
    /** The peer group, e.g. {@code acme/crm} (tenant and application). */
    public String peerKey;

    public String detector;

    /** The detector's encoded state for the whole group. */
    public byte[] state;

    public PeerSnapshot() {}

    public PeerSnapshot(String peerKey, String detector, byte[] state) {
        this.peerKey = peerKey;
        this.detector = detector;
        this.state = state;
    }

    /** Key of the snapshot in the broadcast state. */
    public String slot() {
        return slot(peerKey, detector);
    }

    static String slot(String peerKey, String detector) {
        return peerKey + "|" + detector;
    }
}
