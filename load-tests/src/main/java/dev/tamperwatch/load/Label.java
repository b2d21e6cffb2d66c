package dev.tamperwatch.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Ground truth of an injected attack: which entity was attacked and when.
 *
 * <p>Serialised as one JSON line with exactly these fields, in this order: {@code
 * {"incident_id":"jailbreak-campaign-1","scenario":"jailbreak-campaign","key_type":"principal",
 * "key":"acme/u-017","start":1767830400000,"end":1767834000000}}; times are epoch ms.
 *
 * @param incidentId shared by all labels of one injected attack
 * @param scenario the {@link AttackScenario#name()}
 * @param keyType what {@code key} names
 * @param key identity key {@code tenant/principal}, agent key {@code tenant/agent}, trace key
 *     {@code tenant/trace_id}, application key {@code tenant/application_id} or model key {@code
 *     tenant/model name}
 * @param start first instant of the attack window, inclusive
 * @param end last instant of the attack window, inclusive
 */
public record Label(
        String incidentId,
        String scenario,
        KeyType keyType,
        String key,
        Instant start,
        Instant end) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The kind of entity a label's key names. */
    public enum KeyType {
        PRINCIPAL,
        AGENT,
        TRACE,
        APPLICATION,
        MODEL;

        /** The lower-case name used in JSON. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static KeyType ofJsonName(String jsonName) {
            return valueOf(jsonName.toUpperCase(Locale.ROOT));
        }
    }

    public Label {
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("label ends before it starts: " + key);
        }
    }

    /** Whether {@code instant} lies in the attack window. */
    public boolean covers(Instant instant) {
        return !instant.isBefore(start) && !instant.isAfter(end);
    }

    /** The JSON line, without a line terminator. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(
                    JSON.createObjectNode()
                            .put("incident_id", incidentId)
                            .put("scenario", scenario)
                            .put("key_type", keyType.jsonName())
                            .put("key", key)
                            .put("start", start.toEpochMilli())
                            .put("end", end.toEpochMilli()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /**
     * Parses a line written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if the line is not such a label
     */
    public static Label fromJson(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return new Label(
                    node.required("incident_id").asText(),
                    node.required("scenario").asText(),
                    KeyType.ofJsonName(node.required("key_type").asText()),
                    node.required("key").asText(),
                    Instant.ofEpochMilli(node.required("start").asLong()),
                    Instant.ofEpochMilli(node.required("end").asLong()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a label: " + line, e);
        }
    }
}
