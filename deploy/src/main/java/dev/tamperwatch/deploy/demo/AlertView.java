package dev.tamperwatch.deploy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The fields of an OCSF alert a person reads first, and its one-line rendering: severity, detector,
 * who, why.
 *
 * @param uid finding uid
 * @param time detection time, epoch ms (event time)
 * @param severity OCSF severity caption
 * @param detector analytic name
 * @param measure what the detector measured first, e.g. {@code embedding_cosine_distance}; empty
 *     when the alert names none
 * @param keyType principal, agent, trace or application
 * @param key the subject's key
 * @param onBehalfOf the human an agent acted for, or null
 * @param message observed versus expected, one sentence
 */
public record AlertView(
        String uid,
        long time,
        String severity,
        String detector,
        String measure,
        String keyType,
        String key,
        String onBehalfOf,
        String message) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /** Reads the view from an OCSF Detection Finding as the detect job writes it. */
    public static AlertView parse(String ocsfJson) {
        JsonNode root;
        try {
            root = JSON.readTree(ocsfJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("alert is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode tw = root.path("unmapped").path("tamperwatch");
        JsonNode onBehalfOf = tw.path("on_behalf_of").path("id");
        return new AlertView(
                root.path("finding_info").path("uid").asText(),
                root.path("time").asLong(),
                root.path("severity").asText(),
                root.path("finding_info").path("analytic").path("name").asText(),
                root.path("anomaly_analyses")
                        .path(0)
                        .path("anomalies")
                        .path(0)
                        .path("observation_parameter")
                        .asText(),
                tw.path("subject").path("key_type").asText(),
                tw.path("subject").path("key").asText(),
                onBehalfOf.isMissingNode() ? null : onBehalfOf.asText(),
                root.path("message").asText());
    }

    /** One readable line: event time, severity, detector, who, why. */
    public String line() {
        String who = keyType + " " + key + (onBehalfOf == null ? "" : " (for " + onBehalfOf + ")");
        return String.format(
                "%s  %-8s %-24s %-38s %s",
                TIME.format(Instant.ofEpochMilli(time)),
                severity.toUpperCase(java.util.Locale.ROOT),
                detector,
                who,
                message);
    }
}
