package dev.tamperwatch.detect;

/** Severity of a finding, mapped one to one onto OCSF {@code severity_id} 1..5. */
public enum Severity {
    INFORMATIONAL(1),
    LOW(2),
    MEDIUM(3),
    HIGH(4),
    CRITICAL(5);

    private final int ocsfId;

    Severity(int ocsfId) {
        this.ocsfId = ocsfId;
    }

    public int ocsfId() {
        return ocsfId;
    }

    /**
     * Severity from how far below the threshold a p-value lies: at the threshold LOW, one hundredth
     * of it MEDIUM, one ten-thousandth HIGH, one millionth CRITICAL.
     */
    public static Severity fromPValue(double pValue, double threshold) {
        double ratio = pValue / threshold;
        if (ratio <= 1e-6) return CRITICAL;
        if (ratio <= 1e-4) return HIGH;
        if (ratio <= 1e-2) return MEDIUM;
        return LOW;
    }
}
