package dev.tamperwatch.detect.stats;

import org.apache.commons.math3.special.Beta;

/**
 * Beta-binomial distribution: successes in {@code n} trials whose success probability is drawn from
 * Beta({@code alpha}, {@code beta}) — the posterior predictive of a Bernoulli rate learned with a
 * Beta prior.
 *
 * <p>Tails are exact sums of the probability mass function, accumulated from the far end of the
 * tail so that small probabilities keep full relative precision; values are returned in log space
 * to survive underflow. Time is linear in the number of terms summed, at most {@code n + 1}.
 *
 * @param n number of trials, non-negative
 * @param alpha first shape, positive and finite
 * @param beta second shape, positive and finite
 */
public record BetaBinomial(long n, double alpha, double beta) {

    private static final double RELATIVE_EPSILON = 1e-17;

    public BetaBinomial {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative: " + n);
        }
        if (!(alpha > 0) || !(beta > 0) || Double.isInfinite(alpha) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException(
                    "shapes must be positive and finite: " + alpha + ", " + beta);
        }
    }

    public double mean() {
        return n * alpha / (alpha + beta);
    }

    /** Natural log of P(K = k); negative infinity outside [0, n]. */
    public double logPmf(long k) {
        if (k < 0 || k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        double logBinomial = -Math.log(n + 1.0) - Beta.logBeta(n - k + 1.0, k + 1.0);
        return logBinomial + Beta.logBeta(k + alpha, n - k + beta) - Beta.logBeta(alpha, beta);
    }

    /** Natural log of P(K &ge; k). */
    public double logUpperTail(long k) {
        if (k <= 0) {
            return 0.0;
        }
        if (k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        return k > mean() ? sumUpwards(k) : log1mExp(sumDownwards(k - 1));
    }

    /** Natural log of P(K &le; k). */
    public double logLowerTail(long k) {
        if (k >= n) {
            return 0.0;
        }
        if (k < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return k < mean() ? sumDownwards(k) : log1mExp(sumUpwards(k + 1));
    }

    /** P(K &ge; k). */
    public double upperTail(long k) {
        return Math.exp(logUpperTail(k));
    }

    /** P(K &le; k). */
    public double lowerTail(long k) {
        return Math.exp(logLowerTail(k));
    }

    /** Smallest k with P(K &le; k) &ge; {@code probability}; a probability in (0, 1]. */
    public long lowerQuantile(double probability) {
        double target = Math.log(probability);
        double logCdf = Double.NEGATIVE_INFINITY;
        double logTerm = logPmf(0);
        for (long k = 0; k < n; k++) {
            logCdf = logAddExp(logCdf, logTerm);
            if (logCdf >= target) {
                return k;
            }
            logTerm += Math.log(ratioUp(k));
        }
        return n;
    }

    /** Largest k with P(K &ge; k) &ge; {@code probability}; a probability in (0, 1]. */
    public long upperQuantile(double probability) {
        double target = Math.log(probability);
        double logSurvival = Double.NEGATIVE_INFINITY;
        double logTerm = logPmf(n);
        for (long k = n; k > 0; k--) {
            logSurvival = logAddExp(logSurvival, logTerm);
            if (logSurvival >= target) {
                return k;
            }
            logTerm += Math.log(ratioDown(k));
        }
        return 0;
    }

    /** P(K = k + 1) / P(K = k), for 0 &le; k &lt; n. */
    private double ratioUp(long k) {
        return (double) (n - k) / (k + 1) * (k + alpha) / (n - k - 1 + beta);
    }

    /** P(K = k - 1) / P(K = k), for 0 &lt; k &le; n. */
    private double ratioDown(long k) {
        return (double) k / (n - k + 1) * (n - k + beta) / (k - 1 + alpha);
    }

    /** log P(K &ge; from), summing terms relative to P(K = from) until the rest is negligible. */
    private double sumUpwards(long from) {
        double sum = 0.0;
        double term = 1.0;
        for (long k = from; ; k++) {
            sum += term;
            if (k == n) {
                break;
            }
            double ratio = ratioUp(k);
            term *= ratio;
            if (ratio < 1.0 && term * (n - k) < RELATIVE_EPSILON * sum) {
                break;
            }
        }
        return logPmf(from) + Math.log(sum);
    }

    /** log P(K &le; from), summing terms relative to P(K = from) until the rest is negligible. */
    private double sumDownwards(long from) {
        double sum = 0.0;
        double term = 1.0;
        for (long k = from; ; k--) {
            sum += term;
            if (k == 0) {
                break;
            }
            double ratio = ratioDown(k);
            term *= ratio;
            if (ratio < 1.0 && term * k < RELATIVE_EPSILON * sum) {
                break;
            }
        }
        return logPmf(from) + Math.log(sum);
    }

    /** log(1 - e^x) for x &le; 0. */
    private static double log1mExp(double x) {
        return x > -Math.log(2.0) ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
    }

    private static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }
}
