package dev.tamperwatch.detect.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomFourierFeaturesTest {

    @Test
    void cosineMatchesTheLibraryCosine() {
        double nearError = 0;
        double farError = 0;
        for (int i = -100_000; i <= 100_000; i++) {
            float near = i * 1e-4f * 7f;
            nearError =
                    Math.max(nearError, Math.abs(RandomFourierFeatures.cos(near) - Math.cos(near)));
            float far = i * 1e-2f;
            farError = Math.max(farError, Math.abs(RandomFourierFeatures.cos(far) - Math.cos(far)));
        }
        assertThat(nearError).as("max error for |t| <= 70").isLessThan(1e-5);
        assertThat(farError)
                .as("max error for |t| <= 1000, dominated by float range reduction")
                .isLessThan(2e-4);
    }

    @Test
    void foldKeepsSquaredDistancesOnAverage() {
        RandomFourierFeatures features = new RandomFourierFeatures(384, 64, 128, 3);
        SplittableRandom random = new SplittableRandom(4);
        float[] fx = new float[64];
        float[] fy = new float[64];
        double ratio = 0;
        int pairs = 4000;
        for (int p = 0; p < pairs; p++) {
            float[] x = toFloat(SyntheticTopics.unit(random, 384));
            float[] y = toFloat(SyntheticTopics.unit(random, 384));
            features.fold(x, fx);
            features.fold(y, fy);
            ratio += squaredDistance(fx, fy, 64) / squaredDistance(x, y, 384);
        }
        assertThat(ratio / pairs)
                .as("mean of |Sx - Sy|^2 / |x - y|^2")
                .isCloseTo(1.0, within(0.015));
    }

    @Test
    void kernelEstimateApproximatesTheGaussianKernel() {
        int dimension = 384;
        RandomFourierFeatures features = new RandomFourierFeatures(dimension, 48, 128, 11);
        SplittableRandom random = new SplittableRandom(5);
        double bandwidth = 0.8;
        float[] fx = new float[48];
        float[] fy = new float[48];
        float[] phiX = new float[128];
        float[] phiY = new float[128];
        double bias = 0;
        double absolute = 0;
        int pairs = 1000;
        for (int p = 0; p < pairs; p++) {
            double cosine = 0.3 + 0.65 * random.nextDouble();
            double[] u = SyntheticTopics.unit(random, dimension);
            double[] v = SyntheticTopics.unit(random, dimension);
            double along = SyntheticTopics.dot(u, v);
            for (int i = 0; i < dimension; i++) {
                v[i] -= along * u[i];
            }
            SyntheticTopics.normalise(v);
            float[] x = new float[dimension];
            float[] y = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                x[i] = (float) u[i];
                y[i] = (float) (cosine * u[i] + Math.sqrt(1 - cosine * cosine) * v[i]);
            }
            features.fold(x, fx);
            features.fold(y, fy);
            features.map(fx, (float) (1 / bandwidth), phiX);
            features.map(fy, (float) (1 / bandwidth), phiY);
            double exact =
                    Math.exp(-squaredDistance(x, y, dimension) / (2 * bandwidth * bandwidth));
            double error = features.kernel(phiX, phiY) - exact;
            bias += error;
            absolute += Math.abs(error);
        }
        assertThat(bias / pairs)
                .as("mean error over pairs with cosine 0.3-0.95, kernel 0.2-0.93")
                .isCloseTo(0.0, within(0.02));
        assertThat(absolute / pairs)
                .as("mean absolute error, D = 128 and a 48-dimension fold: about 0.07")
                .isLessThan(0.09);
    }

    @Test
    void sameSeedGivesTheSameFeaturesAndAnotherSeedOthers() {
        float[] x = toFloat(SyntheticTopics.unit(new SplittableRandom(6), 100));
        float[] a = features(new RandomFourierFeatures(100, 64, 32, 1), x);
        float[] b = features(new RandomFourierFeatures(100, 64, 32, 1), x);
        float[] c = features(new RandomFourierFeatures(100, 64, 32, 2), x);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void featuresOfAnEmbeddingAndOfItsFoldAreBoundedAndFinite() {
        RandomFourierFeatures features = new RandomFourierFeatures(7, 64, 20, 8);
        assertThat(features.sketchDimensions()).as("no fold below the sketch size").isEqualTo(7);
        float[] x = {1, 0, 0, 0, 0, 0, 0};
        float[] phi = features(features, x);
        for (float value : phi) {
            assertThat(value).isBetween(-1f, 1f);
        }
        assertThat(features.kernel(phi, phi))
                .as("k(x, x) = 1 up to Monte Carlo error")
                .isCloseTo(1.0, within(0.5));
    }

    private static float[] features(RandomFourierFeatures features, float[] x) {
        float[] folded = new float[features.sketchDimensions()];
        float[] out = new float[features.features()];
        features.fold(x, folded);
        features.map(folded, 1.25f, out);
        return out;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double squaredDistance(float[] a, float[] b, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
