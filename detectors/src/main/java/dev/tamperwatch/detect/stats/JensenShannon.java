package dev.tamperwatch.detect.stats;

import java.util.Arrays;

/** Jensen–Shannon divergence between two discrete distributions, in bits, within [0, 1]. */
public final class JensenShannon {

    private JensenShannon() {}

    /**
     * Divergence between {@code p} and {@code q}, given as non-negative weights over the same
     * categories and normalized here; 0 when either is all zero.
     */
    public static double divergenceBits(double[] p, double[] q) {
        double pTotal = Arrays.stream(p).sum();
        double qTotal = Arrays.stream(q).sum();
        if (!(pTotal > 0) || !(qTotal > 0)) {
            return 0.0;
        }
        double sum = 0.0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / pTotal;
            double qi = q[i] / qTotal;
            double mi = 0.5 * (pi + qi);
            sum += halfKullbackLeibler(pi, mi) + halfKullbackLeibler(qi, mi);
        }
        return Math.max(0.0, Math.min(1.0, sum / Math.log(2.0)));
    }

    private static double halfKullbackLeibler(double x, double mixture) {
        return x > 0 ? 0.5 * x * Math.log(x / mixture) : 0.0;
    }
}
