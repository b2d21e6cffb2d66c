package dev.tamperwatch.detect.activity;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * Negative-binomial distribution of a count with mean {@code mean} and variance {@code mean +
 * dispersion * mean^2} (NB2: a Poisson whose rate is Gamma-distributed with shape {@code 1 /
 * dispersion}); a dispersion of 0 is the Poisson distribution.
 *
 * <p>Tails come from the regularized incomplete gamma (Poisson) and beta (negative binomial)
 * functions while those are representable; deep tails, where those underflow, are summed from the
 * far end in log space so that they stay finite and keep full relative precision. Tails are
 * returned as natural logarithms. Means above 10<sup>9</sup>, where the regularized functions lose
 * their precision, use the continuity-corrected normal approximation.
 *
 * @param mean expected count, positive and finite
 * @param dispersion overdispersion {@code 1 / size}, non-negative and finite
 */
public record NegativeBinomial(double mean, double dispersion) {

    /** Below this the regularized functions are not trusted and the tail is summed. */
    private static final double DIRECT_FLOOR = 1e-250;

    private static final double RELATIVE_EPSILON = 1e-17;
    private static final int MAX_TERMS = 1_000_000;

    /** Above this mean the tails come from the normal approximation. */
    private static final double NORMAL_ABOVE = 1e9;

    public NegativeBinomial {
        if (!(mean > 0) || Double.isInfinite(mean)) {
            throw new IllegalArgumentException("mean must be positive and finite: " + mean);
        }
        if (!(dispersion >= 0) || Double.isInfinite(dispersion)) {
            throw new IllegalArgumentException(
                    "dispersion must be non-negative and finite: " + dispersion);
        }
    }

    /** The Poisson distribution with the given mean. */
    public static NegativeBinomial poisson(double mean) {
        return new NegativeBinomial(mean, 0.0);
    }

    public double variance() {
        return mean + dispersion * mean * mean;
    }

    /** Whether this is a Poisson distribution, or so close to one that it is treated as one. */
    public boolean isPoisson() {
        return dispersion * mean < 1e-12;
    }

    /** Natural log of P(X = x); negative infinity for negative x. */
    public double logPmf(long x) {
        if (x < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (isPoisson()) {
            return x * Math.log(mean) - mean - Gamma.logGamma(x + 1.0);
        }
        double size = 1.0 / dispersion;
        double logOdds = Math.log(mean) - Math.log(size + mean);
        return -Math.log(size + x)
                - Beta.logBeta(size, x + 1.0)
                - size * Math.log1p(mean / size)
                + (x == 0 ? 0.0 : x * logOdds);
    }

    /** Natural log of P(X &ge; x). */
    public double logUpperTail(long x) {
        if (x <= 0) {
            return 0.0;
        }
        if (mean > NORMAL_ABOVE) {
            return logNormalUpper((x - 0.5 - mean) / Math.sqrt(variance()));
        }
        double direct = upperTailDirect(x);
        if (direct > DIRECT_FLOOR) {
            return Math.log(Math.min(1.0, direct));
        }
        if (x < mean) {
            return log1mExp(logLowerTail(x - 1));
        }
        return sumUpwards(x);
    }

    /** Natural log of P(X &le; x). */
    public double logLowerTail(long x) {
        if (x < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (mean > NORMAL_ABOVE) {
            return logNormalUpper((mean - x - 0.5) / Math.sqrt(variance()));
        }
        double direct = lowerTailDirect(x);
        if (direct > DIRECT_FLOOR) {
            return Math.log(Math.min(1.0, direct));
        }
        if (x > mean) {
            return log1mExp(logUpperTail(x + 1));
        }
        return sumDownwards(x);
    }

    /** P(X &ge; x). */
    public double upperTail(long x) {
        return Math.exp(logUpperTail(x));
    }

    /** P(X &le; x). */
    public double lowerTail(long x) {
        return Math.exp(logLowerTail(x));
    }

    /**
     * Largest count {@code x} with P(X &ge; x) &ge; {@code probability}: counts above it lie in the
     * upper tail beyond that probability. A probability in (0, 1].
     */
    public long upperLimit(double probability) {
        double target = Math.log(probability);
        long low = 0;
        long high = Math.max(1, (long) Math.ceil(mean));
        while (logUpperTail(high) >= target) {
            low = high;
            if (high > Long.MAX_VALUE / 4) {
                return high;
            }
            high *= 2;
        }
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            if (logUpperTail(middle) >= target) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * Smallest count {@code x} with P(X &le; x) &ge; {@code probability}: counts below it lie in
     * the lower tail beyond that probability. A probability in (0, 1].
     */
    public long lowerLimit(double probability) {
        double target = Math.log(probability);
        if (logLowerTail(0) >= target) {
            return 0;
        }
        long low = 0;
        long high = Math.max(1, (long) Math.ceil(mean));
        while (logLowerTail(high) < target) {
            low = high;
            if (high > Long.MAX_VALUE / 4) {
                return high;
            }
            high *= 2;
        }
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            if (logLowerTail(middle) >= target) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return high;
    }

    private double upperTailDirect(long x) {
        double value;
        if (isPoisson()) {
            value = Gamma.regularizedGammaP((double) x, mean);
        } else {
            double size = 1.0 / dispersion;
            value = Beta.regularizedBeta(mean / (size + mean), (double) x, size);
        }
        return Double.isNaN(value) ? 0.0 : value;
    }

    private double lowerTailDirect(long x) {
        double value;
        if (isPoisson()) {
            value = Gamma.regularizedGammaQ(x + 1.0, mean);
        } else {
            double size = 1.0 / dispersion;
            value = Beta.regularizedBeta(size / (size + mean), size, x + 1.0);
        }
        return Double.isNaN(value) ? 0.0 : value;
    }

    /** P(X = k + 1) / P(X = k). */
    private double ratioUp(long k) {
        if (isPoisson()) {
            return mean / (k + 1.0);
        }
        double size = 1.0 / dispersion;
        return (k + size) / (k + 1.0) * (mean / (size + mean));
    }

    /** log P(X &ge; from) for {@code from} above the mean, summed relative to P(X = from). */
    private double sumUpwards(long from) {
        double sum = 0.0;
        double term = 1.0;
        long k = from;
        for (int i = 0; i < MAX_TERMS; i++, k++) {
            sum += term;
            double ratio = ratioUp(k);
            term *= ratio;
            if (ratio < 1.0 && term / (1.0 - ratio) < RELATIVE_EPSILON * sum) {
                break;
            }
        }
        return logPmf(from) + Math.log(sum);
    }

    /** log P(X &le; from) for {@code from} below the mean, summed relative to P(X = from). */
    private double sumDownwards(long from) {
        double sum = 0.0;
        double term = 1.0;
        for (long k = from; k >= 0 && from - k < MAX_TERMS; k--) {
            sum += term;
            if (k == 0) {
                break;
            }
            double ratio = 1.0 / ratioUp(k - 1);
            term *= ratio;
            if (ratio < 1.0 && term / (1.0 - ratio) < RELATIVE_EPSILON * sum) {
                break;
            }
        }
        return logPmf(from) + Math.log(sum);
    }

    /** log P(Z &gt; z) for a standard normal Z, asymptotic where erfc underflows. */
    static double logNormalUpper(double z) {
        if (z < 20) {
            return Math.log(0.5 * Erf.erfc(z / Math.sqrt(2.0)));
        }
        return -0.5 * z * z - Math.log(z * Math.sqrt(2.0 * Math.PI)) + Math.log1p(-1.0 / (z * z));
    }

    /** log(1 - e^x) for x &le; 0. */
    private static double log1mExp(double x) {
        return x > -Math.log(2.0) ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
    }
}
