package dev.tamperwatch.job.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tamperwatch.job.alert.AlertRecord;

/**
 * What matching and reporting need of one alert: its subject, and the trace and application it
 * concerns when the alert names them. Read from the alert record and its OCSF JSON ({@code
 * unmapped.tamperwatch.trace_id}, {@code unmapped.tamperwatch.tenant_id}, {@code actor.app_name},
 * {@code unmapped.tamperwatch.p_value}).
 *
 * @param uid finding uid
 * @param detector detector name
 * @param keyType subject key type: {@code principal}, {@code agent} or {@code model}
 * @param key subject key, {@code tenant/id}
 * @param time detection time, epoch ms
 * @param traceKey {@code tenant/trace_id}, or null
 * @param applicationKey {@code tenant/application_id}, or null
 * @param pValue the finding's p-value, or NaN when the alert has none
 * @param windowEnd end of the window the finding is about, epoch ms; {@code time} when the alert
 *     names none
 */
public record AlertFacts(
        String uid,
        String detector,
        String keyType,
        String key,
        long time,
        String traceKey,
        String applicationKey,
        double pValue,
        long windowEnd) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The facts of a rendered alert. */
    public static AlertFacts of(AlertRecord alert) {
        JsonNode root;
        try {
            root = JSON.readTree(alert.json);
        } catch (JsonProcessingException e) {
            root = JSON.createObjectNode();
        }
        JsonNode tw = root.path("unmapped").path("tamperwatch");
        String tenant = text(tw.path("tenant_id"));
        if (tenant == null && alert.key != null && alert.key.indexOf('/') > 0) {
            tenant = alert.key.substring(0, alert.key.indexOf('/'));
        }
        String trace = text(tw.path("trace_id"));
        if (trace == null) {
            trace = text(root.path("trace").path("id"));
        }
        String app = text(root.path("actor").path("app_name"));
        JsonNode p =
                tw.has("p_value") ? tw.path("p_value") : root.path("tamperwatch").path("p_value");
        return new AlertFacts(
                alert.uid,
                alert.detector,
                alert.keyType,
                alert.key,
                alert.time,
                tenant == null || trace == null ? null : tenant + "/" + trace,
                tenant == null || app == null ? null : tenant + "/" + app,
                p.isNumber() ? p.asDouble() : Double.NaN,
                tw.path("window").path("end").isIntegralNumber()
                        ? tw.path("window").path("end").asLong()
                        : alert.time);
    }

    /**
     * Whether this alert is about time after {@code lastEventTime}: raised later, or about a window
     * that ends later. At the end of a bounded replay every open window is closed; those windows
     * are incomplete, and an alert about one is an artefact of the recording ending.
     */
    public boolean isAfter(long lastEventTime) {
        return time > lastEventTime || windowEnd > lastEventTime;
    }

    /** Whether this alert names the entity of a label. */
    public boolean concerns(IncidentLabel label) {
        return switch (label.keyType()) {
            case PRINCIPAL, AGENT, MODEL ->
                    label.keyType().jsonName().equals(keyType) && label.key().equals(key);
            case TRACE -> label.key().equals(traceKey);
            case APPLICATION -> label.key().equals(applicationKey);
        };
    }

    /**
     * Whether this alert matches a label: it names the label's entity and was raised between the
     * label's start and {@code graceMillis} after its end, both inclusive.
     */
    public boolean matches(IncidentLabel label, long graceMillis) {
        return time >= label.start() && time <= label.end() + graceMillis && concerns(label);
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }
}
