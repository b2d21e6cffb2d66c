package dev.tamperwatch.detect.refusal;

import dev.tamperwatch.detect.state.EvidenceSlots;

/**
 * Per-key state of {@link RefusalRateDetector}: the decayed baseline counts, the open window's
 * counts and up to {@link EvidenceSlots#CAPACITY} of its event ids (tag 1 refused, 0 not).
 */
public final class RefusalState {

    static final int REFUSED = 1;
    static final int ANSWERED = 0;

    /** Effective refused outputs in the baseline. */
    double baselineRefused;

    /** Effective non-refused outputs in the baseline. */
    double baselineAnswered;

    /**
     * Start of the open window, or, when none is open, the earliest start the next one may have.
     */
    long windowStart = Long.MIN_VALUE;

    long windowRefused;

    /** Outputs in the open window; zero when no window is open. */
    long windowTotal;

    EvidenceSlots evidence = new EvidenceSlots();

    /** Effective number of outputs the baseline rests on. */
    public double baselineSize() {
        return baselineRefused + baselineAnswered;
    }

    boolean hasOpenWindow() {
        return windowTotal > 0;
    }
}
