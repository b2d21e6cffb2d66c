package dev.tamperwatch.job.baseline;

/**
 * How many members of a peer group are active in a window, averaged over the group's recent
 * windows: the factor between the group's totals per window and one member's. A Flink POJO.
 *
 * <p>The mean weighs the last {@link #HORIZON} windows the group was active in about equally;
 * windows in which no member acted do not count.
 */
public class ActiveMembers {

    /** Windows the running mean spans once it has seen that many. */
    static final int HORIZON = 168;

    /** Mean members active per window over the windows closed so far. */
    public double mean;

    /** Windows folded into the mean, up to {@link #HORIZON}. */
    public int windows;

    public ActiveMembers() {}

    /** Folds in a closed window in which {@code active} members acted. */
    void close(int active) {
        windows = Math.min(windows + 1, HORIZON);
        mean += (active - mean) / windows;
    }

    /** The mean, at least 1; 1 before any window closed. */
    double perWindow() {
        return Math.max(1.0, mean);
    }
}
