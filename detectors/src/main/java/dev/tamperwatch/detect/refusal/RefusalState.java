package dev.tamperwatch.detect.refusal;

import dev.tamperwatch.detect.state.EvidenceSlots;

/**
 * Per-key state of {@link RefusalRateDetector}: the decayed baseline counts, an optional peer
 * prior, the two CUSUM statistics with the run each has accumulated and the windows held back
 * meanwhile, the open window's counts and up to {@link EvidenceSlots#CAPACITY} of its event ids
 * (tag 1 refused, 0 not).
 */
public final class RefusalState {

    static final int REFUSED = 1;
    static final int ANSWERED = 0;

    /** Effective refused outputs in the baseline. */
    double baselineRefused;

    /** Effective non-refused outputs in the baseline. */
    double baselineAnswered;

    /**
     * Beta prior supplied from the key's peer group; both zero when the population prior applies.
     */
    double peerAlpha;

    double peerBeta;

    /**
     * Weight left on the prior (population or peer), in [0, 1]: it shrinks with the baseline's cap,
     * and drops to zero when the key's own baseline contradicts the prior.
     */
    double priorWeight = 1.0;

    /** Statistic of the CUSUM for a rising rate; zero when no run is under way. */
    double cusumUp;

    /** Statistic of the CUSUM for a falling rate; zero when no run is under way. */
    double cusumDown;

    /** The run of the rising CUSUM: start of its first window, outputs and refusals since. */
    final Run upRun = new Run();

    final Run downRun = new Run();

    /**
     * Refusals and outputs of the closed windows held back from the baseline while a CUSUM run is
     * under way: learned when both sums are back at zero, dropped on a finding.
     */
    long pendingRefused;

    long pendingTotal;

    /**
     * Start of the open window, or, when none is open, the earliest start the next one may have.
     */
    long windowStart = Long.MIN_VALUE;

    long windowRefused;

    /** Outputs in the open window; zero when no window is open. */
    long windowTotal;

    EvidenceSlots evidence = new EvidenceSlots();

    /** Windows a CUSUM statistic has accumulated over since it was last zero. */
    static final class Run {
        long start;
        long refused;
        long total;

        void restart(long windowStart) {
            start = windowStart;
            refused = 0;
            total = 0;
        }

        void clear() {
            restart(0);
        }
    }

    /** Effective number of outputs the baseline rests on. */
    public double baselineSize() {
        return baselineRefused + baselineAnswered;
    }

    /** Weight left on the prior, 1 for a new key; see {@link RefusalRateDetector}. */
    public double priorWeight() {
        return priorWeight;
    }

    /** Whether a peer prior replaces the population prior for this key. */
    public boolean hasPeerPrior() {
        return peerAlpha > 0;
    }

    boolean hasOpenWindow() {
        return windowTotal > 0;
    }
}
