package dev.tamperwatch.detect;

import java.util.List;
import java.util.Objects;

/**
 * A detector's verdict that one key left its baseline, with everything needed to explain it.
 *
 * @param detector detector name, e.g. {@code refusal-rate}
 * @param detectorVersion version of the detector math
 * @param windowStart start of the evidence window, epoch ms (inclusive)
 * @param windowEnd end of the evidence window, epoch ms (exclusive)
 * @param pValue probability, under the baseline, of a window at least this extreme, in [0, 1]
 * @param threshold the false-alarm rate the p-value was compared with
 * @param severity how bad it looks
 * @param summary one sentence: what was observed against what was expected
 * @param measures observed vs expected figures, most important first
 * @param relatedEventIds event ids that make up the evidence, oldest first, bounded in number
 */
public record Finding(
        String detector,
        String detectorVersion,
        long windowStart,
        long windowEnd,
        double pValue,
        double threshold,
        Severity severity,
        String summary,
        List<Measure> measures,
        List<String> relatedEventIds) {

    public Finding {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(severity, "severity");
        measures = List.copyOf(measures);
        relatedEventIds = List.copyOf(relatedEventIds);
    }

    /** Confidence that this is not a false alarm, in [0, 1]: one minus the p-value. */
    public double confidence() {
        return 1.0 - pValue;
    }
}
