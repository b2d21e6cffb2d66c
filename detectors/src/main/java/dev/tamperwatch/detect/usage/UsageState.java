package dev.tamperwatch.detect.usage;

import dev.tamperwatch.detect.state.EvidenceSlots;

/**
 * Per-key state of {@link UsageDetector}: for output tokens and output characters each a slow
 * baseline (a {@link LogHistogram} of sizes), a fast one (the moving average of recent outputs'
 * normal scores in the slow one) and the fast one's learned variance; a histogram of past windows'
 * token sums; the open window's counts and up to {@link EvidenceSlots#CAPACITY} of its event ids,
 * tagged with the bin of their size so that the largest are kept.
 *
 * <p>Encoded, a state takes at most about 1.9 KB: two histograms of {@value #MAX_OUTPUT_BINS} bins
 * and one of {@value #MAX_WINDOW_BINS} at about five bytes a bin, plus evidence.
 */
public final class UsageState {

    /** Most bins of an output-size histogram: seven doublings at full resolution. */
    public static final int MAX_OUTPUT_BINS = 56;

    /** Most bins of the window token-sum histogram: five doublings at full resolution. */
    public static final int MAX_WINDOW_BINS = 40;

    /** Slow and fast baseline of one output size. */
    static final class SizeBaseline {
        LogHistogram slow = new LogHistogram(MAX_OUTPUT_BINS);

        /** Moving average of recent outputs' normal scores in {@link #slow}; 0 when none. */
        double fast;

        /**
         * Learned variance of {@link #fast} at window closes: the capped running mean of twice its
         * squared negative part, over windows that raised no finding; 0 when none learned.
         */
        double spread;

        /** Effective outputs {@link #spread} rests on, capped; 0 when none. */
        double spreadWeight;

        /** Outputs that moved {@link #fast} in the open window. */
        long windowScored;
    }

    final SizeBaseline outputTokens = new SizeBaseline();
    final SizeBaseline outputChars = new SizeBaseline();

    /** Token sums of past windows. */
    LogHistogram windowTokens = new LogHistogram(MAX_WINDOW_BINS);

    /**
     * Start of the open window, or, when none is open, the earliest start the next one may have.
     */
    long windowStart = Long.MIN_VALUE;

    /** Observations in the open window; zero when no window is open. */
    long windowEvents;

    /** Observations in the open window that carried a token count. */
    long windowTokenEvents;

    /** Input plus output tokens in the open window, saturating at {@link Long#MAX_VALUE}. */
    long windowTokenSum;

    EvidenceSlots evidence = new EvidenceSlots();

    /** Effective number of outputs the output-token baseline rests on. */
    public double baselineOutputTokens() {
        return outputTokens.slow.total();
    }

    /** Effective number of outputs the output-length baseline rests on. */
    public double baselineOutputChars() {
        return outputChars.slow.total();
    }

    /** Effective number of windows the token-use baseline rests on. */
    public double baselineWindows() {
        return windowTokens.total();
    }

    /**
     * Adds the slow baselines of {@code other} to this state's — to pool the baselines of a peer
     * group, say. Fast baselines and open windows are left alone.
     */
    public void mergeBaselines(UsageState other) {
        outputTokens.slow.merge(other.outputTokens.slow);
        outputChars.slow.merge(other.outputChars.slow);
        windowTokens.merge(other.windowTokens);
    }

    boolean hasOpenWindow() {
        return windowEvents > 0;
    }

    boolean hasNoBaseline() {
        return outputTokens.slow.isEmpty()
                && outputChars.slow.isEmpty()
                && windowTokens.isEmpty()
                && outputTokens.fast == 0
                && outputChars.fast == 0
                && outputTokens.spreadWeight == 0
                && outputChars.spreadWeight == 0;
    }
}
