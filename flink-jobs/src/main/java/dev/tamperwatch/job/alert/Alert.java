package dev.tamperwatch.job.alert;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.job.baseline.Actor;
import java.util.UUID;

/**
 * A finding about one subject, ready to render.
 *
 * @param finding the detector's verdict and explanation
 * @param keyType principal, agent or model
 * @param key the subject's key, e.g. {@code acme/u-017}
 * @param actor who acted in the subject's latest event
 * @param detectedAt event time at which the detector decided, epoch ms
 */
public record Alert(Finding finding, String keyType, String key, Actor actor, long detectedAt) {

    /**
     * Deterministic id of this finding, the same for every replay of the same input: a name-based
     * UUID of detector, subject, window start and leading measure, so a SIEM can deduplicate.
     */
    public String uid() {
        String leading = finding.measures().isEmpty() ? "" : finding.measures().get(0).name();
        String name =
                String.join(
                        "|",
                        finding.detector(),
                        keyType,
                        key,
                        Long.toString(finding.windowStart()),
                        leading);
        return UUID.nameUUIDFromBytes(name.getBytes(UTF_8)).toString();
    }
}
