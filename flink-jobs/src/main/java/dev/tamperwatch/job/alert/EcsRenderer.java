package dev.tamperwatch.job.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.job.baseline.Actor;
import java.time.Instant;

/**
 * Renders an alert as an Elastic Common Schema document: {@code event.kind=alert}, {@code
 * event.risk_score}, {@code rule.*}, {@code user.id}, {@code trace.id}; the explanation under
 * {@code tamperwatch.*}.
 */
public final class EcsRenderer implements AlertRenderer {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String render(Alert alert) {
        Finding f = alert.finding();
        ObjectNode root = JSON.createObjectNode();
        root.put("@timestamp", Instant.ofEpochMilli(alert.detectedAt()).toString());
        root.put("message", f.summary());
        root.putObject("ecs").put("version", "8.11.0");
        ObjectNode event = root.putObject("event");
        event.put("kind", "alert")
                .put("id", alert.uid())
                .put("severity", f.severity().ocsfId())
                .put("risk_score", OcsfRenderer.riskScore(f))
                .put("start", Instant.ofEpochMilli(f.windowStart()).toString())
                .put("end", Instant.ofEpochMilli(f.windowEnd()).toString());
        event.putArray("category").add("intrusion_detection");
        event.putArray("type").add("indicator");
        root.putObject("rule")
                .put("name", f.detector())
                .put("id", f.detector())
                .put("version", f.detectorVersion())
                .put("description", f.summary());
        Actor actor = alert.actor();
        if (actor != null) {
            root.putObject("user").put("id", actor.principalId);
            if (actor.traceId != null) {
                root.putObject("trace").put("id", actor.traceId);
            }
        }
        ObjectNode tw = root.putObject("tamperwatch");
        tw.putObject("subject").put("key_type", alert.keyType()).put("key", alert.key());
        tw.put("p_value", f.pValue()).put("threshold", f.threshold());
        ArrayNode measures = tw.putArray("measures");
        for (Measure m : f.measures()) {
            OcsfRenderer.measure(measures.addObject(), m);
        }
        ArrayNode related = tw.putArray("related_events");
        f.relatedEventIds().forEach(related::add);
        return root.toString();
    }
}
