package dev.tamperwatch.detect;

/**
 * One observed-versus-expected figure of an explanation.
 *
 * @param name what was measured, e.g. {@code refusal_rate} or {@code tool:send_email}
 * @param observed value in the evidence window
 * @param expected value the baseline predicts
 * @param lower lower end of the baseline's central interval at the alert's threshold (NaN if none)
 * @param upper upper end of that interval (NaN if none)
 * @param baselineSize how many observations the baseline rests on (effective, after decay)
 * @param unit unit of observed and expected, e.g. {@code ratio}, {@code count}, {@code events/h}
 */
public record Measure(
        String name,
        double observed,
        double expected,
        double lower,
        double upper,
        double baselineSize,
        String unit) {}
