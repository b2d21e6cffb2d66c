package dev.tamperwatch.detect.embedding;

import java.util.Arrays;

/**
 * Random Fourier features of unit vectors for the Gaussian kernel {@code exp(-|x - y|^2 / (2
 * sigma^2))}, drawn once from a seed so that the same settings always give the same features.
 *
 * <p>A vector is first folded to {@code k} dimensions: coordinate {@code i}, multiplied by a fixed
 * random sign, is added to coordinate {@code i mod k} (a sign-randomised count sketch, which keeps
 * squared distances in expectation). The folded vector {@code y} is then mapped to {@code D}
 * features {@code cos(w_j . y / sigma + b_j)}, with the {@code w_j} drawn as orthogonal random
 * features (blocks of {@code k} orthonormal directions with chi-distributed lengths) and the phases
 * {@code b_j} uniform in [0, 2 pi). The kernel estimate of two vectors is {@code (2 / D) sum_j
 * f_j(x) f_j(y)}.
 *
 * <p>The fold costs one pass over the input and the map {@code k D} multiply-adds, laid out so that
 * the JIT vectorises them; the cosine is a branch-free polynomial accurate to about 1e-6 for the
 * arguments that occur. All arithmetic is IEEE float in a fixed order, so features are bit-for-bit
 * reproducible on every JVM.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
final class RandomFourierFeatures {

    private static final float TWO_PI = (float) (2.0 * Math.PI);
    private static final float INV_TWO_PI = (float) (1.0 / (2.0 * Math.PI));

    /**
     * 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer.
     */
    private static final float ROUND = 12582912f;

    private final int dimension;
    private final int sketch;
    private final int features;

    /** Sign of each input coordinate; coordinate {@code i} folds into {@code i mod k}. */
    private final float[] signs;

    /** {@code omega[i][j]}: weight of folded coordinate {@code i} in feature {@code j}. */
    private final float[][] omega;

    private final float[] phase;

    /**
     * @param dimension input dimension, positive
     * @param sketchDimensions dimensions to fold to; the input dimension when that is smaller
     * @param features number of features {@code D}, positive
     * @param seed seed of the draw
     */
    RandomFourierFeatures(int dimension, int sketchDimensions, int features, long seed) {
        if (dimension < 1 || sketchDimensions < 1 || features < 1) {
            throw new IllegalArgumentException(
                    "dimensions must be positive: "
                            + dimension
                            + ", "
                            + sketchDimensions
                            + ", "
                            + features);
        }
        this.dimension = dimension;
        this.sketch = Math.min(dimension, sketchDimensions);
        this.features = features;
        SplitMix random = new SplitMix(seed, dimension, sketch, features);
        signs = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            signs[i] = random.nextLong() < 0 ? -1f : 1f;
        }
        omega = new float[sketch][features];
        for (int start = 0; start < features; start += sketch) {
            drawOrthogonalBlock(random, start, Math.min(sketch, features - start));
        }
        phase = new float[features];
        for (int j = 0; j < features; j++) {
            phase[j] = (float) (random.nextDouble() * 2.0 * Math.PI);
        }
    }

    int dimension() {
        return dimension;
    }

    int sketchDimensions() {
        return sketch;
    }

    int features() {
        return features;
    }

    /** Sign of each input coordinate in the fold; not to be modified. */
    float[] signs() {
        return signs;
    }

    /** Folds {@code x} (length {@link #dimension()}) into {@code y} (length at least k). */
    void fold(float[] x, float[] y) {
        Arrays.fill(y, 0, sketch, 0f);
        for (int offset = 0; offset < dimension; offset += sketch) {
            int length = Math.min(sketch, dimension - offset);
            for (int b = 0; b < length; b++) {
                y[b] += signs[offset + b] * x[offset + b];
            }
        }
    }

    /**
     * Features {@code cos(w_j . y * inverseBandwidth + b_j)} of a folded vector into {@code out}
     * (length at least D); without the {@code sqrt(2 / D)} amplitude.
     */
    void map(float[] y, float inverseBandwidth, float[] out) {
        int d = features;
        Arrays.fill(out, 0, d, 0f);
        int i = 0;
        for (; i + 3 < sketch; i += 4) {
            float y0 = y[i] * inverseBandwidth;
            float y1 = y[i + 1] * inverseBandwidth;
            float y2 = y[i + 2] * inverseBandwidth;
            float y3 = y[i + 3] * inverseBandwidth;
            float[] w0 = omega[i];
            float[] w1 = omega[i + 1];
            float[] w2 = omega[i + 2];
            float[] w3 = omega[i + 3];
            for (int j = 0; j < d; j++) {
                out[j] += y0 * w0[j] + y1 * w1[j] + y2 * w2[j] + y3 * w3[j];
            }
        }
        for (; i < sketch; i++) {
            float yi = y[i] * inverseBandwidth;
            float[] w = omega[i];
            for (int j = 0; j < d; j++) {
                out[j] += yi * w[j];
            }
        }
        for (int j = 0; j < d; j++) {
            out[j] = cos(out[j] + phase[j]);
        }
    }

    /**
     * Cosine by reduction to [-pi, pi] and {@code 1 - 2 sin^2(t / 2)} with a degree-11 sine
     * polynomial; for arguments of magnitude below 2^22, absolute error about 1e-6 plus the float
     * rounding of the reduction.
     */
    static float cos(float t) {
        float turns = (t * INV_TWO_PI + ROUND) - ROUND;
        float half = 0.5f * (t - turns * TWO_PI);
        float h2 = half * half;
        float p = -2.5052108e-8f;
        p = p * h2 + 2.7557319e-6f;
        p = p * h2 - 1.984127e-4f;
        p = p * h2 + 8.333333e-3f;
        p = p * h2 - 1.6666667e-1f;
        p = p * h2 + 1f;
        float sine = half * p;
        return 1f - 2f * sine * sine;
    }

    /** Kernel estimate {@code (2 / D) sum_j a_j b_j} from two feature vectors. */
    double kernel(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < features; j++) {
            sum += (double) a[j] * b[j];
        }
        return 2.0 * sum / features;
    }

    /**
     * Rows {@code start .. start + count - 1} of omega as orthonormal Gaussian directions
     * (Gram-Schmidt), each scaled by an independent chi-distributed length with k degrees of
     * freedom.
     */
    private void drawOrthogonalBlock(SplitMix random, int start, int count) {
        double[][] rows = new double[count][sketch];
        for (int r = 0; r < count; r++) {
            double norm;
            do {
                for (int i = 0; i < sketch; i++) {
                    rows[r][i] = random.nextGaussian();
                }
                for (int q = 0; q < r; q++) {
                    double dot = 0;
                    for (int i = 0; i < sketch; i++) {
                        dot += rows[r][i] * rows[q][i];
                    }
                    for (int i = 0; i < sketch; i++) {
                        rows[r][i] -= dot * rows[q][i];
                    }
                }
                double squares = 0;
                for (int i = 0; i < sketch; i++) {
                    squares += rows[r][i] * rows[r][i];
                }
                norm = StrictMath.sqrt(squares);
            } while (!(norm > 1e-6));
            double chiSquares = 0;
            for (int i = 0; i < sketch; i++) {
                double g = random.nextGaussian();
                chiSquares += g * g;
            }
            double length = StrictMath.sqrt(chiSquares);
            for (int i = 0; i < sketch; i++) {
                rows[r][i] /= norm;
                omega[i][start + r] = (float) (rows[r][i] * length);
            }
        }
    }

    /** SplitMix64 with Box-Muller Gaussians, written out so that draws never change. */
    private static final class SplitMix {
        private long state;

        SplitMix(long seed, int dimension, int sketch, int features) {
            state = seed;
            state = nextLong() ^ dimension;
            state = nextLong() ^ ((long) sketch << 32 | features);
        }

        long nextLong() {
            long z = state += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, 1). */
        double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }

        double nextGaussian() {
            double u = 1.0 - nextDouble();
            double v = nextDouble();
            return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * Math.PI * v);
        }
    }
}
