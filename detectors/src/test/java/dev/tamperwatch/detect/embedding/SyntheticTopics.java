package dev.tamperwatch.detect.embedding;

import java.util.SplittableRandom;

/**
 * Synthetic embeddings of one key: a few subtopic centroids around a topic on the unit sphere,
 * events drawn as a subtopic centroid plus isotropic Gaussian noise (not normalised, so that the
 * detector's normalisation is exercised). The whole topic can be rotated in a fixed plane.
 */
final class SyntheticTopics {

    final int dimension;
    final float[][] subtopics;
    private final double[] cumulative;
    private final double noise;
    private final double[] planeA;
    private final double[] planeB;
    private double cos = 1;
    private double sin = 0;

    /**
     * @param weights relative frequency of each subtopic
     * @param spread distance of the subtopics from the topic before normalisation
     * @param noise norm of the noise added to a unit subtopic centroid
     */
    SyntheticTopics(
            SplittableRandom random, int dimension, double[] weights, double spread, double noise) {
        this.dimension = dimension;
        this.noise = noise;
        double[] topic = unit(random, dimension);
        subtopics = new float[weights.length][dimension];
        double[] mean = new double[dimension];
        for (int k = 0; k < weights.length; k++) {
            double[] offset = unit(random, dimension);
            double[] centre = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                centre[i] = topic[i] + spread * offset[i];
            }
            normalise(centre);
            for (int i = 0; i < dimension; i++) {
                subtopics[k][i] = (float) centre[i];
                mean[i] += weights[k] * centre[i];
            }
        }
        cumulative = new double[weights.length];
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double running = 0;
        for (int k = 0; k < weights.length; k++) {
            running += weights[k] / total;
            cumulative[k] = running;
        }
        normalise(mean);
        planeA = mean;
        planeB = unit(random, dimension);
        double along = dot(planeA, planeB);
        for (int i = 0; i < dimension; i++) {
            planeB[i] -= along * planeA[i];
        }
        normalise(planeB);
    }

    /** One key with three subtopics of frequencies 1 : 1/2 : 1/3. */
    static SyntheticTopics threeSubtopics(SplittableRandom random, int dimension) {
        return new SyntheticTopics(random, dimension, new double[] {1, 0.5, 1.0 / 3}, 0.6, 0.9);
    }

    /** One key with a single topic. */
    static SyntheticTopics singleTopic(SplittableRandom random, int dimension) {
        return new SyntheticTopics(random, dimension, new double[] {1}, 0, 0.9);
    }

    /** Rotates every later event by {@code angle} radians in the topic's plane of rotation. */
    void rotateTo(double angle) {
        cos = Math.cos(angle);
        sin = Math.sin(angle);
    }

    /** Unit direction the topic's mean has at the current rotation. */
    double[] currentDirection() {
        double[] direction = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            direction[i] = cos * planeA[i] + sin * planeB[i];
        }
        return direction;
    }

    /** An event drawn from the subtopic mixture. */
    float[] sample(SplittableRandom random) {
        double u = random.nextDouble();
        int k = 0;
        while (k < cumulative.length - 1 && u > cumulative[k]) {
            k++;
        }
        return sampleSubtopic(random, k);
    }

    /** An event of subtopic {@code k}. */
    float[] sampleSubtopic(SplittableRandom random, int k) {
        float[] x = new float[dimension];
        double scale = noise / Math.sqrt(dimension);
        for (int i = 0; i < dimension; i++) {
            x[i] = (float) (subtopics[k][i] + scale * gaussian(random));
        }
        if (sin != 0 || cos != 1) {
            double a = 0;
            double b = 0;
            for (int i = 0; i < dimension; i++) {
                a += x[i] * planeA[i];
                b += x[i] * planeB[i];
            }
            for (int i = 0; i < dimension; i++) {
                x[i] +=
                        (float)
                                ((cos - 1) * (a * planeA[i] + b * planeB[i])
                                        + sin * (a * planeB[i] - b * planeA[i]));
            }
        }
        return x;
    }

    static double gaussian(SplittableRandom random) {
        return random.nextGaussian();
    }

    static double[] unit(SplittableRandom random, int dimension) {
        double[] x = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            x[i] = gaussian(random);
        }
        normalise(x);
        return x;
    }

    static void normalise(double[] x) {
        double norm = Math.sqrt(dot(x, x));
        for (int i = 0; i < x.length; i++) {
            x[i] /= norm;
        }
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Angle in degrees between a float vector and a direction. */
    static double angleDegrees(float[] vector, double[] direction) {
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += vector[i] * direction[i];
            norm += (double) vector[i] * vector[i];
        }
        double cosine = dot / Math.sqrt(norm * dot(direction, direction));
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cosine))));
    }
}
