package dev.tamperwatch.detect.tools;

/**
 * How likely a key is to produce a never-seen item (tool, transition, target), estimated from its
 * own history of trials and discoveries.
 *
 * <p>Per trial, the estimate is Good–Turing's missing mass with one pseudo-singleton: {@code
 * (singletons + unlearned + discovered + 1) / (trials + 1)}, where {@code singletons} counts the
 * learned items seen exactly once, {@code unlearned} the earlier discoveries that were not learned
 * (they were flagged, evicted, or made in an alerting window) and {@code discovered} the items
 * first seen in the open window. With nothing rare in the history it falls as {@code 1 / trials}:
 * only a long quiet history can make a never-seen item surprising.
 *
 * <p>Per window, the chance of at least one never-seen item among the {@code n} trials a window
 * usually holds is {@code 1 - (1 - m)^n} — the Šidák form of a Bonferroni correction over the
 * window's trials — so a threshold on it is a false-alarm rate per key and window rather than per
 * trial.
 */
final class DiscoveryRate {

    private DiscoveryRate() {}

    /** Estimated probability that one trial yields a never-seen item, in (0, 1]. */
    static double perTrial(double singletons, double unlearned, double discovered, double trials) {
        return Math.min(1.0, (singletons + unlearned + discovered + 1.0) / (trials + 1.0));
    }

    /**
     * Probability of at least one never-seen item in {@code trialsPerWindow} trials, each yielding
     * one with probability {@code perTrial}; in [0, 1].
     */
    static double perWindow(double perTrial, double trialsPerWindow) {
        if (perTrial >= 1.0) {
            return 1.0;
        }
        double n = Math.max(trialsPerWindow, 0.0);
        return Math.min(1.0, -Math.expm1(n * Math.log1p(-perTrial)));
    }
}
