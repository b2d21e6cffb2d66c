package dev.tamperwatch.detect.stats;

/**
 * Cap on how many observations a baseline may rest on. When the counts grow past the cap, all of
 * them shrink by the same factor: old observations fade and each new window moves the baseline by
 * at most its share of the cap, which bounds the learning rate.
 *
 * @param maxEffectiveSize largest total weight a baseline may hold, positive
 */
public record BaselineCap(double maxEffectiveSize) {

    public BaselineCap {
        if (!(maxEffectiveSize > 0) || Double.isInfinite(maxEffectiveSize)) {
            throw new IllegalArgumentException(
                    "baseline cap must be positive: " + maxEffectiveSize);
        }
    }

    /** Factor to multiply every count by so that a baseline of {@code total} fits the cap. */
    public double shrinkFactor(double total) {
        return total > maxEffectiveSize ? maxEffectiveSize / total : 1.0;
    }
}
