package dev.tamperwatch.job.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.job.baseline.Actor;

/**
 * Renders an alert as an OCSF 1.3 Detection Finding (class_uid 2004, category_uid 2): the finding's
 * observed-versus-expected figures go to {@code anomaly_analyses} and {@code evidences}, the
 * evidence event ids to {@code finding_info.related_events}, and what OCSF has no field for
 * (subject key, p-value, threshold, window, on-behalf-of) to {@code unmapped.tamperwatch}.
 */
public final class OcsfRenderer implements AlertRenderer {

    static final String OCSF_VERSION = "1.3.0";
    static final String PRODUCT = "Tamperwatch";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String render(Alert alert) {
        Finding f = alert.finding();
        String uid = alert.uid();
        ObjectNode root = JSON.createObjectNode();
        root.put("class_uid", 2004)
                .put("class_name", "Detection Finding")
                .put("category_uid", 2)
                .put("category_name", "Findings")
                .put("activity_id", 1)
                .put("activity_name", "Create")
                .put("type_uid", 200401)
                .put("type_name", "Detection Finding: Create")
                .put("time", alert.detectedAt())
                .put("severity_id", f.severity().ocsfId())
                .put("severity", displayName(f.severity().name()))
                .put("status_id", 1)
                .put("status", "New")
                .put("confidence_score", (int) Math.floor(100 * f.confidence()))
                .put("risk_score", riskScore(f))
                .put("message", f.summary());

        ObjectNode metadata = root.putObject("metadata");
        metadata.put("version", OCSF_VERSION).put("uid", uid);
        metadata.put("correlation_uid", alert.keyType() + ":" + alert.key());
        metadata.putObject("product").put("name", PRODUCT).put("vendor_name", PRODUCT);

        ObjectNode info = root.putObject("finding_info");
        info.put("uid", uid)
                .put(
                        "title",
                        f.detector()
                                + ": "
                                + alert.keyType()
                                + " "
                                + alert.key()
                                + " left its baseline")
                .put("desc", f.summary())
                .put("first_seen_time", f.windowStart())
                .put("last_seen_time", Math.max(f.windowStart(), alert.detectedAt()));
        info.putArray("types").add("Tamperwatch/" + f.detector());
        info.putObject("analytic")
                .put("type_id", 3)
                .put("type", "Statistical")
                .put("name", f.detector())
                .put("uid", f.detector())
                .put("version", f.detectorVersion());
        ArrayNode related = info.putArray("related_events");
        for (String id : f.relatedEventIds()) {
            related.addObject().put("uid", id);
        }

        renderActor(root.putObject("actor"), alert.actor());
        renderAnalyses(root.putArray("anomaly_analyses").addObject(), alert);
        ArrayNode evidences = root.putArray("evidences");
        for (Measure m : f.measures()) {
            measure(evidences.addObject().putObject("data"), m);
        }
        renderUnmapped(root.putObject("unmapped").putObject("tamperwatch"), alert);
        return root.toString();
    }

    private static void renderActor(ObjectNode node, Actor actor) {
        if (actor == null) {
            return;
        }
        node.putObject("user")
                .put("uid", actor.principalId)
                .put("name", actor.principalId)
                .put("type", actor.principalType);
        if (actor.applicationId != null) {
            node.put("app_name", actor.applicationId);
        }
        if (actor.agentId != null) {
            node.put("app_uid", actor.agentId);
        }
        if (actor.onBehalfOfId != null) {
            node.put("invoked_by", actor.onBehalfOfId);
        }
    }

    private static void renderAnalyses(ObjectNode analysis, Alert alert) {
        analysis.putArray("analysis_targets")
                .addObject()
                .put("name", alert.key())
                .put("type", alert.keyType());
        ArrayNode anomalies = analysis.putArray("anomalies");
        ArrayNode baselines = analysis.putArray("baselines");
        for (Measure m : alert.finding().measures()) {
            ObjectNode anomaly = anomalies.addObject();
            anomaly.put("observation_parameter", m.name())
                    .put("observation_type", "window")
                    .put("observed_pattern", alert.finding().summary());
            anomaly.putArray("observations")
                    .addObject()
                    .put("parameter", m.name())
                    .put("value", number(m.observed()));
            ObjectNode baseline = baselines.addObject();
            baseline.put("observation_parameter", m.name()).put("observed_pattern", expectation(m));
            baseline.putArray("observations")
                    .addObject()
                    .put("parameter", m.name())
                    .put("value", number(m.expected()));
        }
    }

    private static void renderUnmapped(ObjectNode node, Alert alert) {
        Finding f = alert.finding();
        node.putObject("subject").put("key_type", alert.keyType()).put("key", alert.key());
        node.put("p_value", f.pValue()).put("threshold", f.threshold());
        node.putObject("window").put("start", f.windowStart()).put("end", f.windowEnd());
        Actor actor = alert.actor();
        if (actor != null) {
            node.put("tenant_id", actor.tenantId);
            if (actor.onBehalfOfId != null) {
                node.putObject("on_behalf_of")
                        .put("type", actor.onBehalfOfType)
                        .put("id", actor.onBehalfOfId);
            }
            if (actor.agentId != null) {
                node.putObject("agent").put("id", actor.agentId).put("name", actor.agentName);
            }
            if (actor.traceId != null) {
                node.put("trace_id", actor.traceId);
            }
            if (actor.modelName != null) {
                node.put("model", actor.modelName);
            }
        }
    }

    static void measure(ObjectNode node, Measure m) {
        node.put("measure", m.name())
                .put("observed", m.observed())
                .put("expected", m.expected())
                .put("unit", m.unit())
                .put("baseline_size", m.baselineSize());
        if (!Double.isNaN(m.lower()) && !Double.isNaN(m.upper())) {
            node.putArray("expected_interval").add(m.lower()).add(m.upper());
        }
    }

    private static String expectation(Measure m) {
        String interval =
                Double.isNaN(m.lower())
                        ? ""
                        : " (interval " + number(m.lower()) + " to " + number(m.upper()) + ")";
        return "expected "
                + number(m.expected())
                + " "
                + m.unit()
                + interval
                + " from a baseline of "
                + number(m.baselineSize());
    }

    /** Risk 0..100: severity sets the band, confidence places the score within it. */
    static int riskScore(Finding f) {
        int band = f.severity().ocsfId() - 1;
        return (int) Math.round(band * 20 + 20 * f.confidence());
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(java.util.Locale.ROOT, "%.4g", value);
    }

    private static String displayName(String enumName) {
        return enumName.charAt(0) + enumName.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
