package dev.tamperwatch.detect.explain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number formats for one-line finding summaries, independent of the default locale. */
public final class Formats {

    private Formats() {}

    /**
     * A ratio as a percentage: one decimal without a trailing {@code .0} ({@code 52.5%}, {@code
     * 3%}), two significant digits below 0.1% ({@code 0.042%}), {@code 0%} for zero.
     */
    public static String percent(double ratio) {
        double percent = 100.0 * ratio;
        if (percent == 0.0) {
            return "0%";
        }
        if (Math.abs(percent) < 0.1) {
            return significant(percent, 2) + "%";
        }
        return stripZeros(String.format(Locale.ROOT, "%.1f", percent)) + "%";
    }

    /** A count that may be fractional after decay, rounded to a whole number. */
    public static String count(double value) {
        return String.format(Locale.ROOT, "%d", Math.round(value));
    }

    /** One decimal without a trailing {@code .0}, e.g. expected counts. */
    public static String decimal(double value) {
        return stripZeros(String.format(Locale.ROOT, "%.1f", value));
    }

    /**
     * A probability, p-value or other small non-negative quantity with two significant digits, e.g.
     * {@code 3.1e-12}, {@code 0.042}, {@code 0.37}.
     */
    public static String probability(double value) {
        if (value == 0.0 || value >= 1e-3) {
            return significant(value, 2);
        }
        return String.format(Locale.ROOT, "%.1e", value).replace("e-0", "e-");
    }

    private static String significant(double value, int digits) {
        return new BigDecimal(value)
                .round(new MathContext(digits))
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String stripZeros(String fixed) {
        return fixed.endsWith(".0") ? fixed.substring(0, fixed.length() - 2) : fixed;
    }
}
