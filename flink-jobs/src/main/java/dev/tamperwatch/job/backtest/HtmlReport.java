package dev.tamperwatch.job.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tamperwatch.job.backtest.BacktestMetrics.DeadLetterRef;
import dev.tamperwatch.job.backtest.BacktestMetrics.Figures;
import dev.tamperwatch.job.backtest.BacktestMetrics.IncidentOutcome;
import dev.tamperwatch.job.backtest.BacktestMetrics.KeyCount;
import dev.tamperwatch.job.backtest.BacktestMetrics.LabelRef;
import dev.tamperwatch.job.backtest.BacktestMetrics.Metrics;
import dev.tamperwatch.job.backtest.BacktestMetrics.ScenarioFigures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The backtest report: one self-contained HTML page (the charting library, Apache ECharts, is
 * inlined from its WebJar on the classpath, so the page needs no network) with the metrics table, a
 * per-detector comparison, incidents, alert volume, and timelines of score ({@code -log10 p})
 * against threshold for the keys of each labelled incident (incident window shaded) and for the
 * noisiest unlabelled keys; with a second run, both side by side.
 */
public final class HtmlReport {

    /** Timelines of unlabelled keys. */
    static final int NOISY_TIMELINES = 5;

    /** Most timelines of incident keys. */
    static final int MAX_INCIDENT_TIMELINES = 40;

    /** Most points per plotted series; longer ones are reduced to the maximum per bucket. */
    static final int MAX_SERIES_POINTS = 2000;

    private static final String ECHARTS_PROPERTIES =
            "META-INF/maven/org.webjars/echarts/pom.properties";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One run to show.
     *
     * @param name short name, e.g. {@code A}
     * @param metrics its figures
     * @param alerts its alerts in (time, uid) order
     * @param scores its scores
     */
    public record Run(
            String name, Metrics metrics, List<AlertFacts> alerts, ScoreTimelines scores) {}

    private final List<Run> runs;
    private final List<Incident> incidents;
    private final RunComparison comparison;
    private final long graceMillis;
    private final StringBuilder html = new StringBuilder(1 << 20);

    /**
     * @param runs one or two runs over the same input; the first is the reference
     * @param incidents labelled incidents, or null
     * @param comparison the second run against the first, or null
     */
    public HtmlReport(
            List<Run> runs, List<Incident> incidents, RunComparison comparison, long graceMillis) {
        this.runs = List.copyOf(runs);
        this.incidents = incidents;
        this.comparison = comparison;
        this.graceMillis = graceMillis;
    }

    /** The page. */
    public String render() {
        Metrics first = runs.get(0).metrics();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Tamperwatch backtest</title>\n<style>")
                .append(CSS)
                .append("</style>\n<script>")
                .append(ERROR_HOOK)
                .append("</script>\n<script>")
                .append(echarts())
                .append("</script>\n</head><body>\n");
        html.append("<h1>Tamperwatch backtest</h1>\n<pre id=\"tw-errors\"></pre>\n");
        overview(first);
        if (first.labelled()) {
            metricsTable();
        }
        detectorsSection();
        if (first.labelled()) {
            scenariosTable();
            incidentsTable();
        }
        if (comparison != null) {
            comparisonSection();
        }
        volumeSection();
        List<ObjectNode> timelines = timelines();
        timelinesSection(timelines);
        keysTable();
        deadLettersSection();
        configSection();
        ObjectNode data = JSON.createObjectNode();
        data.put("labelled", first.labelled());
        ArrayNode runNames = data.putArray("runs");
        runs.forEach(r -> runNames.add(r.name()));
        data.set("detectors", detectorData());
        data.set("volume", volumeData());
        ArrayNode tl = data.putArray("timelines");
        timelines.forEach(tl::add);
        html.append("<script type=\"application/json\" id=\"tw-data\">")
                .append(data.toString().replace("</", "<\\/"))
                .append("</script>\n<script>")
                .append(CHARTS)
                .append("</script>\n</body></html>\n");
        return html.toString();
    }

    private void overview(Metrics m) {
        html.append("<section><h2>Input</h2><table class=\"kv\">");
        kv("Events", m.input().source());
        kv(
                "Records",
                String.format(
                        Locale.ROOT,
                        "%,d (%,d events, %,d dead letters)",
                        m.input().records(),
                        m.input().events(),
                        m.input().deadLetters()));
        kv(
                "Event time",
                m.input().firstEventTime() == null
                        ? "no events"
                        : m.input().firstEventTime()
                                + " to "
                                + m.input().lastEventTime()
                                + String.format(Locale.ROOT, " (%.2f days)", m.input().days()));
        StringBuilder keys = new StringBuilder();
        m.input()
                .keyDays()
                .forEach(
                        (type, kd) ->
                                keys.append(
                                        String.format(
                                                Locale.ROOT,
                                                "%s: %,d keys, %,d key-days; ",
                                                type,
                                                m.input().keys().get(type),
                                                kd)));
        kv("Keys", keys.toString());
        kv(
                "Labels",
                m.labelled()
                        ? incidents.size() + " incidents, grace " + m.grace()
                        : "none: alert volume and top keys only");
        for (Run run : runs) {
            kv(
                    "Run " + run.name(),
                    (run.metrics().configFile() == null
                                    ? "default settings"
                                    : "settings from " + run.metrics().configFile())
                            + String.format(
                                    Locale.ROOT, ", %,d alerts", run.metrics().alerts().total()));
        }
        html.append("</table></section>\n");
    }

    private void metricsTable() {
        html.append(
                "<section><h2>Metrics</h2><table class=\"grid\" id=\"tw-metrics\"><tr><th>figure</th>");
        runs.forEach(r -> html.append("<th>").append(esc(r.name())).append("</th>"));
        if (runs.size() == 2) {
            html.append("<th>change</th>");
        }
        html.append("</tr>\n");
        row(
                "incidents detected",
                r -> count(r.overall().detected()) + " / " + count(r.overall().incidents()),
                null);
        row("recall", r -> pct(r.overall().recall()), r -> r.overall().recall());
        row("alert precision", r -> pct(r.overall().precision()), r -> r.overall().precision());
        row("F1", r -> num(r.overall().f1()), r -> r.overall().f1());
        row("detection delay, median", r -> delay(r.overall().detectionDelay().medianMs()), null);
        row("detection delay, p90", r -> delay(r.overall().detectionDelay().p90Ms()), null);
        row("alerts", r -> count(r.overall().alerts()), r -> (double) r.overall().alerts());
        row("matching alerts", r -> count(r.overall().matchingAlerts()), null);
        row(
                "false alerts",
                r -> count(r.overall().falseAlerts()),
                r -> r.overall().falseAlerts() == null ? null : (double) r.overall().falseAlerts());
        Set<String> types = new LinkedHashSet<>();
        runs.forEach(r -> types.addAll(r.metrics().overall().falseAlertsPer1000KeyDays().keySet()));
        for (String type : types) {
            row(
                    "false alerts / 1,000 key-days (" + type + ")",
                    r -> num(r.overall().falseAlertsPer1000KeyDays().get(type)),
                    r -> r.overall().falseAlertsPer1000KeyDays().get(type));
        }
        row(
                "alerts per day",
                r -> num(r.overall().alertsPerDay()),
                r -> r.overall().alertsPerDay());
        html.append("</table></section>\n");
    }

    private void row(
            String name,
            java.util.function.Function<Metrics, String> cell,
            java.util.function.Function<Metrics, Double> value) {
        html.append("<tr><td>").append(esc(name)).append("</td>");
        for (Run run : runs) {
            html.append("<td class=\"n\">").append(esc(cell.apply(run.metrics()))).append("</td>");
        }
        if (runs.size() == 2) {
            String change = "";
            if (value != null) {
                Double a = value.apply(runs.get(0).metrics());
                Double b = value.apply(runs.get(1).metrics());
                if (a != null && b != null) {
                    change = String.format(Locale.ROOT, "%+.4g", b - a);
                }
            }
            html.append("<td class=\"n\">").append(esc(change)).append("</td>");
        }
        html.append("</tr>\n");
    }

    private void detectorsSection() {
        boolean labelled = runs.get(0).metrics().labelled();
        html.append("<section><h2>Detectors</h2>");
        html.append("<div class=\"chart\" id=\"chart-detectors\"></div>");
        html.append(
                "<table class=\"grid\" id=\"tw-detectors\"><tr><th>detector</th><th>run</th><th>alerts</th>");
        if (labelled) {
            html.append(
                    "<th>matching</th><th>precision</th><th>incidents detected</th><th>recall</th>"
                            + "<th>F1</th><th>delay median</th><th>delay p90</th>"
                            + "<th>false / 1,000 key-days</th>");
        }
        html.append("<th>alerts / day</th><th>scores reported</th></tr>\n");
        TreeSet<String> detectors = new TreeSet<>();
        runs.forEach(r -> detectors.addAll(r.metrics().byDetector().keySet()));
        for (String detector : detectors) {
            for (Run run : runs) {
                Figures f = run.metrics().byDetector().get(detector);
                html.append("<tr><td>")
                        .append(esc(detector))
                        .append("</td><td>")
                        .append(esc(run.name()))
                        .append("</td>");
                if (f == null) {
                    html.append("<td colspan=\"")
                            .append(labelled ? 12 : 3)
                            .append("\">not active</td></tr>\n");
                    continue;
                }
                cell(count(f.alerts()));
                if (labelled) {
                    cell(count(f.matchingAlerts()));
                    cell(pct(f.precision()));
                    cell(count(f.detected()) + " / " + count(f.incidents()));
                    cell(pct(f.recall()));
                    cell(num(f.f1()));
                    cell(delay(f.detectionDelay().medianMs()));
                    cell(delay(f.detectionDelay().p90Ms()));
                    cell(num(f.falseAlertsPer1000KeyDays().get("all")));
                }
                cell(num(f.alertsPerDay()));
                Long scores = run.metrics().scoresByDetector().get(detector);
                cell(scores == null ? "none" : count(scores));
                html.append("</tr>\n");
            }
        }
        html.append("</table>");
        List<String> silent = new ArrayList<>();
        for (String detector : detectors) {
            if (!runs.get(0).metrics().scoresByDetector().containsKey(detector)) {
                silent.add(detector);
            }
        }
        if (!silent.isEmpty()) {
            html.append("<p class=\"note\">No scores reported by ")
                    .append(esc(String.join(", ", silent)))
                    .append(": their timelines show alerts only.</p>");
        }
        html.append("</section>\n");
    }

    private void cell(String text) {
        html.append("<td class=\"n\">").append(esc(text)).append("</td>");
    }

    private void scenariosTable() {
        html.append(
                "<section><h2>Scenarios</h2><table class=\"grid\" id=\"tw-scenarios\"><tr><th>scenario</th><th>run</th><th>detected</th><th>recall</th><th>matching alerts</th><th>delay median</th><th>delay p90</th><th>caught by</th></tr>\n");
        TreeSet<String> scenarios = new TreeSet<>(runs.get(0).metrics().byScenario().keySet());
        for (String scenario : scenarios) {
            for (Run run : runs) {
                ScenarioFigures s = run.metrics().byScenario().get(scenario);
                html.append("<tr><td>")
                        .append(esc(scenario))
                        .append("</td><td>")
                        .append(esc(run.name()))
                        .append("</td>");
                cell(s.detected() + " / " + s.incidents());
                cell(pct(s.recall()));
                cell(count(s.matchingAlerts()));
                cell(delay(s.detectionDelay().medianMs()));
                cell(delay(s.detectionDelay().p90Ms()));
                StringBuilder by = new StringBuilder();
                s.detectedBy().forEach((d, n) -> by.append(d).append(" ×").append(n).append("  "));
                html.append("<td>").append(esc(by.toString().trim())).append("</td></tr>\n");
            }
        }
        html.append("</table></section>\n");
    }

    private void incidentsTable() {
        html.append(
                "<section><h2>Incidents</h2><table class=\"grid\" id=\"tw-incidents\"><tr><th>incident</th><th>scenario</th><th>entities</th><th>window</th>");
        for (Run run : runs) {
            html.append("<th>").append(esc(run.name())).append(": caught by</th><th>delay</th>");
        }
        html.append("</tr>\n");
        List<IncidentOutcome> first = runs.get(0).metrics().incidents();
        for (int i = 0; i < first.size(); i++) {
            IncidentOutcome o = first.get(i);
            StringBuilder entities = new StringBuilder();
            Map<String, Integer> more = new LinkedHashMap<>();
            for (LabelRef l : o.labels()) {
                boolean entity = !l.keyType().equals("trace") && !l.keyType().equals("application");
                if (entity || o.labels().size() <= 3) {
                    entities.append(l.keyType()).append(' ').append(l.key()).append('\n');
                } else {
                    more.merge(l.keyType(), 1, Integer::sum);
                }
            }
            more.forEach(
                    (type, n) ->
                            entities.append("+ ")
                                    .append(n)
                                    .append(' ')
                                    .append(type)
                                    .append(n == 1 ? " label" : " labels")
                                    .append('\n'));
            html.append("<tr><td>")
                    .append(esc(o.incidentId()))
                    .append("</td><td>")
                    .append(esc(o.scenario()))
                    .append("</td><td class=\"keys\">")
                    .append(esc(entities.toString().trim()))
                    .append("</td><td>")
                    .append(esc(time(o.start()) + " to " + time(o.end())))
                    .append("</td>");
            for (Run run : runs) {
                IncidentOutcome r = run.metrics().incidents().get(i);
                html.append("<td class=\"")
                        .append(r.detected() ? "hit" : "miss")
                        .append("\">")
                        .append(
                                esc(
                                        r.detected()
                                                ? String.join(", ", r.detectors())
                                                        + " ("
                                                        + r.matchingAlerts()
                                                        + " alerts)"
                                                : "missed"))
                        .append("</td>");
                cell(r.delayMs() == null ? "" : DurationFormat.human(r.delayMs()));
            }
            html.append("</tr>\n");
        }
        html.append("</table></section>\n");
    }

    private void comparisonSection() {
        html.append("<section><h2>")
                .append(esc(runs.get(0).name() + " versus " + runs.get(1).name()))
                .append("</h2><table class=\"kv\" id=\"tw-comparison\">");
        if (runs.get(0).metrics().labelled()) {
            kv("Caught by both", list(comparison.caughtByBoth()));
            kv("Caught by " + runs.get(0).name() + " only", list(comparison.onlyFirst()));
            kv("Caught by " + runs.get(1).name() + " only", list(comparison.onlySecond()));
            kv("Caught by neither", list(comparison.neither()));
        }
        kv(
                "Alert volume change",
                String.format(Locale.ROOT, "%+,d alerts", comparison.alertDelta()));
        StringBuilder per = new StringBuilder();
        comparison
                .alertDeltaByDetector()
                .forEach((d, n) -> per.append(String.format(Locale.ROOT, "%s %+,d; ", d, n)));
        kv("Per detector", per.toString());
        html.append("</table></section>\n");
    }

    private static String list(List<String> ids) {
        return ids.isEmpty() ? "none" : ids.size() + ": " + String.join(", ", ids);
    }

    private void volumeSection() {
        html.append(
                "<section><h2>Alert volume</h2><div class=\"chart\" id=\"chart-volume\"></div></section>\n");
    }

    private void timelinesSection(List<ObjectNode> timelines) {
        html.append(
                "<section><h2>Score timelines</h2><p class=\"note\">Strongest score per detector"
                        + " and window as -log10 p (higher is more anomalous) against the detector's"
                        + " threshold (dashed); dots are alerts. Incident windows are shaded red, the grace"
                        + " period after them orange. Drag or scroll to zoom.</p>\n");
        if (timelines.isEmpty()) {
            html.append("<p class=\"note\">No keys to plot.</p>");
        }
        for (ObjectNode t : timelines) {
            html.append("<div class=\"chart timeline\" id=\"")
                    .append(esc(t.get("id").asText()))
                    .append("\"></div>\n");
        }
        html.append("</section>\n");
    }

    private void keysTable() {
        Metrics m = runs.get(0).metrics();
        boolean labelled = m.labelled();
        List<KeyCount> keys = labelled ? m.alerts().noisiestUnlabelledKeys() : m.alerts().topKeys();
        html.append("<section><h2>")
                .append(labelled ? "Noisiest unlabelled keys" : "Top keys")
                .append(" (run ")
                .append(esc(runs.get(0).name()))
                .append(
                        ")</h2><table class=\"grid\" id=\"tw-keys\"><tr><th>key type</th><th>key</th><th>alerts</th></tr>\n");
        for (KeyCount k : keys) {
            html.append("<tr><td>")
                    .append(esc(k.keyType()))
                    .append("</td><td>")
                    .append(esc(k.key()))
                    .append("</td>");
            cell(count(k.alerts()));
            html.append("</tr>\n");
        }
        html.append("</table></section>\n");
    }

    private void deadLettersSection() {
        Metrics m = runs.get(0).metrics();
        html.append("<section><h2>Dead letters</h2><p>")
                .append(
                        String.format(
                                Locale.ROOT,
                                "%,d records could not be decoded or validated.",
                                m.deadLetters().count()))
                .append("</p>");
        if (m.deadLetters().count() > 0) {
            html.append(
                    "<table class=\"grid\" id=\"tw-dead-letters\"><tr><th>where</th><th>reason</th></tr>\n");
            int shown = 0;
            for (DeadLetterRef d : m.deadLetters().listed()) {
                if (shown++ == 100) {
                    break;
                }
                html.append("<tr><td>")
                        .append(esc(d.origin()))
                        .append("</td><td>")
                        .append(esc(d.reason()))
                        .append("</td></tr>\n");
            }
            html.append("</table>");
            if (m.deadLetters().count() > 100) {
                html.append("<p class=\"note\">First 100 shown; metrics.json lists up to ")
                        .append(BacktestMetrics.LISTED_DEAD_LETTERS)
                        .append(".</p>");
            }
        }
        html.append("</section>\n");
    }

    private void configSection() {
        html.append("<section><h2>Settings</h2>");
        for (Run run : runs) {
            html.append("<h3>Run ").append(esc(run.name())).append("</h3><pre>");
            try {
                html.append(
                        esc(
                                JSON.writerWithDefaultPrettyPrinter()
                                        .writeValueAsString(run.metrics().config())));
            } catch (IOException e) {
                html.append(esc(String.valueOf(run.metrics().config())));
            }
            html.append("</pre>");
        }
        html.append("</section>\n");
    }

    private ArrayNode detectorData() {
        ArrayNode out = JSON.createArrayNode();
        TreeSet<String> detectors = new TreeSet<>();
        runs.forEach(r -> detectors.addAll(r.metrics().byDetector().keySet()));
        for (String detector : detectors) {
            ObjectNode d = out.addObject().put("name", detector);
            ArrayNode per = d.putArray("runs");
            for (Run run : runs) {
                Figures f = run.metrics().byDetector().get(detector);
                ObjectNode r = per.addObject();
                r.put("alerts", f == null ? 0 : f.alerts());
                if (f != null && f.recall() != null) {
                    r.put("recall", f.recall());
                }
                if (f != null && f.precision() != null) {
                    r.put("precision", f.precision());
                }
            }
        }
        return out;
    }

    private ObjectNode volumeData() {
        ObjectNode out = JSON.createObjectNode();
        TreeSet<String> days = new TreeSet<>();
        runs.forEach(r -> days.addAll(r.metrics().alerts().byDay().keySet()));
        ArrayNode dayNames = out.putArray("days");
        days.forEach(dayNames::add);
        ArrayNode per = out.putArray("runs");
        for (Run run : runs) {
            ArrayNode counts = per.addArray();
            days.forEach(day -> counts.add(run.metrics().alerts().byDay().getOrDefault(day, 0L)));
        }
        return out;
    }

    private List<ObjectNode> timelines() {
        List<ObjectNode> out = new ArrayList<>();
        Metrics first = runs.get(0).metrics();
        Set<String> done = new LinkedHashSet<>();
        if (incidents != null) {
            for (Incident incident : incidents) {
                for (IncidentLabel label : incident.labels()) {
                    if (label.keyType() != IncidentLabel.KeyType.PRINCIPAL
                            && label.keyType() != IncidentLabel.KeyType.AGENT) {
                        continue;
                    }
                    String id = BacktestMetrics.keyId(label.keyType().jsonName(), label.key());
                    if (out.size() >= MAX_INCIDENT_TIMELINES || !done.add(id)) {
                        continue;
                    }
                    out.add(
                            timeline(
                                    "timeline-" + out.size(),
                                    incident.id()
                                            + " ("
                                            + incident.scenario()
                                            + "): "
                                            + label.keyType().jsonName()
                                            + " "
                                            + label.key(),
                                    label.keyType().jsonName(),
                                    label.key(),
                                    label));
                }
            }
        }
        List<KeyCount> noisy =
                first.labelled()
                        ? first.alerts().noisiestUnlabelledKeys()
                        : first.alerts().topKeys();
        int added = 0;
        for (KeyCount k : noisy) {
            if (added == NOISY_TIMELINES) {
                break;
            }
            if (!done.add(BacktestMetrics.keyId(k.keyType(), k.key()))) {
                continue;
            }
            added++;
            out.add(
                    timeline(
                            "timeline-" + out.size(),
                            (first.labelled() ? "unlabelled, " : "")
                                    + k.alerts()
                                    + " alerts: "
                                    + k.keyType()
                                    + " "
                                    + k.key(),
                            k.keyType(),
                            k.key(),
                            null));
        }
        return out;
    }

    private ObjectNode timeline(
            String id, String title, String keyType, String key, IncidentLabel label) {
        ObjectNode t = JSON.createObjectNode();
        t.put("id", id).put("title", title);
        Metrics first = runs.get(0).metrics();
        if (first.input().firstEventTime() != null) {
            t.putArray("range")
                    .add(Instant.parse(first.input().firstEventTime()).toEpochMilli())
                    .add(Instant.parse(first.input().lastEventTime()).toEpochMilli());
        }
        if (label != null) {
            t.putObject("incident")
                    .put("start", label.start())
                    .put("end", label.end())
                    .put("graceEnd", label.end() + graceMillis);
            long margin = Math.max(12 * 3_600_000L, (label.end() - label.start()) * 4);
            t.putArray("zoom").add(label.start() - margin).add(label.end() + graceMillis + margin);
        }
        ArrayNode perRun = t.putArray("runs");
        for (Run run : runs) {
            ObjectNode r = perRun.addObject();
            ArrayNode series = r.putArray("series");
            for (ScoreTimelines.Series s : run.scores().of(keyType, key)) {
                ObjectNode sn =
                        series.addObject()
                                .put(
                                        "detector",
                                        s.measure().isEmpty()
                                                ? s.detector()
                                                : s.detector() + " · " + s.measure());
                ArrayNode points = sn.putArray("points");
                ArrayNode threshold = sn.putArray("threshold");
                for (ScoreTimelines.Point p : reduce(s.points())) {
                    points.addArray().add(p.time()).add(round3(p.score()));
                    threshold.addArray().add(p.time()).add(round3(p.threshold()));
                }
            }
            ArrayNode alerts = r.putArray("alerts");
            for (AlertFacts a : run.alerts()) {
                if (keyType.equals(a.keyType()) && key.equals(a.key())) {
                    alerts.addArray()
                            .add(a.time())
                            .add(
                                    Double.isNaN(a.pValue())
                                            ? 0
                                            : round3(ScoreTimelines.negLog10(a.pValue())))
                            .add(a.detector())
                            .add(a.uid());
                }
            }
        }
        return t;
    }

    /** At most {@link #MAX_SERIES_POINTS} points: the strongest of each bucket, in time order. */
    static List<ScoreTimelines.Point> reduce(List<ScoreTimelines.Point> points) {
        if (points.size() <= MAX_SERIES_POINTS) {
            return points;
        }
        List<ScoreTimelines.Point> out = new ArrayList<>(MAX_SERIES_POINTS);
        double per = (double) points.size() / MAX_SERIES_POINTS;
        for (int b = 0; b < MAX_SERIES_POINTS; b++) {
            int from = (int) Math.floor(b * per);
            int to = (int) Math.min(points.size(), Math.floor((b + 1) * per));
            ScoreTimelines.Point best = null;
            for (int i = from; i < to; i++) {
                if (best == null || points.get(i).score() > best.score()) {
                    best = points.get(i);
                }
            }
            if (best != null) {
                out.add(best);
            }
        }
        return out;
    }

    private void kv(String key, String value) {
        html.append("<tr><th>")
                .append(esc(key))
                .append("</th><td>")
                .append(esc(value))
                .append("</td></tr>");
    }

    /** The ECharts script from its WebJar. */
    static String echarts() {
        ClassLoader loader = HtmlReport.class.getClassLoader();
        String version;
        try (InputStream in = loader.getResourceAsStream(ECHARTS_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the ECharts WebJar (org.webjars:echarts) is not on the classpath");
            }
            Properties props = new Properties();
            props.load(in);
            version = props.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + ECHARTS_PROPERTIES, e);
        }
        String script = "META-INF/resources/webjars/echarts/" + version + "/echarts.min.js";
        try (InputStream in = loader.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException(script + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("</script", "<\\/script");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + script, e);
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String num(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String count(Number v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%,d", v.longValue());
    }

    private static String delay(Double ms) {
        return ms == null ? "–" : DurationFormat.human(ms);
    }

    private static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }

    private static final String CSS =
            """
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#1d2330}
            h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #dde;padding-bottom:4px}h3{font-size:15px}
            table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;text-align:left;vertical-align:top}
            table.grid th{background:#f0f2f7}table.grid td,table.grid th{border:1px solid #dde}
            table.kv th{font-weight:600;padding-right:18px}td.n{text-align:right;font-variant-numeric:tabular-nums}
            td.hit{background:#e7f6ea}td.miss{background:#fbe9e9}td.keys{white-space:pre-line;font-family:ui-monospace,monospace;font-size:12px}
            .chart{width:100%;height:320px;margin:12px 0}.timeline{height:300px}.note{color:#5a6275}
            pre{background:#f6f7fa;padding:8px;overflow:auto}#tw-errors{display:none;color:#a00;background:#fee}
            """;

    private static final String ERROR_HOOK =
            """
            window.addEventListener('error', function (e) {
              var el = document.getElementById('tw-errors');
              if (el) { el.style.display = 'block'; el.textContent += 'script error: ' + e.message + '\\n'; }
            });
            """;

    private static final String CHARTS =
            """
            (function () {
              var data = JSON.parse(document.getElementById('tw-data').textContent);
              var rendered = 0;
              function chart(id, option) {
                var el = document.getElementById(id);
                if (!el) { return; }
                var c = echarts.init(el, null, {renderer: 'svg'});
                option.animation = false;
                c.setOption(option);
                window.addEventListener('resize', function () { c.resize(); });
                rendered++;
              }
              var runs = data.runs;
              var names = data.detectors.map(function (d) { return d.name; });
              var series = [];
              runs.forEach(function (run, i) {
                var tag = runs.length > 1 ? run + ': ' : '';
                if (data.labelled) {
                  series.push({name: tag + 'recall', type: 'bar', yAxisIndex: 0,
                    data: data.detectors.map(function (d) { return d.runs[i].recall == null ? null : d.runs[i].recall; })});
                  series.push({name: tag + 'precision', type: 'bar', yAxisIndex: 0,
                    data: data.detectors.map(function (d) { return d.runs[i].precision == null ? null : d.runs[i].precision; })});
                }
                series.push({name: tag + 'alerts', type: data.labelled ? 'line' : 'bar', yAxisIndex: data.labelled ? 1 : 0,
                  data: data.detectors.map(function (d) { return d.runs[i].alerts; })});
              });
              var yAxes = data.labelled
                ? [{type: 'value', name: 'recall / precision', min: 0, max: 1}, {type: 'value', name: 'alerts'}]
                : [{type: 'value', name: 'alerts'}];
              chart('chart-detectors', {
                title: {text: 'Per detector', textStyle: {fontSize: 13}},
                tooltip: {trigger: 'axis'}, legend: {bottom: 0},
                grid: {left: 60, right: 60, top: 40, bottom: 50},
                xAxis: {type: 'category', data: names}, yAxis: yAxes, series: series
              });
              chart('chart-volume', {
                title: {text: 'Alerts per day (UTC)', textStyle: {fontSize: 13}},
                tooltip: {trigger: 'axis'}, legend: {bottom: 0},
                grid: {left: 60, right: 20, top: 40, bottom: 50},
                xAxis: {type: 'category', data: data.volume.days}, yAxis: {type: 'value', name: 'alerts'},
                series: data.volume.runs.map(function (counts, i) { return {name: runs[i], type: 'bar', data: counts}; })
              });
              data.timelines.forEach(function (t) {
                var s = [];
                t.runs.forEach(function (r, i) {
                  var tag = runs.length > 1 ? runs[i] + ': ' : '';
                  var dash = i === 0 ? 'solid' : 'dotted';
                  r.series.forEach(function (d) {
                    s.push({name: tag + d.detector, type: 'line', data: d.points, showSymbol: d.points.length < 60,
                      symbolSize: 4, lineStyle: {width: 1.5, type: dash}});
                    s.push({name: tag + d.detector + ' threshold', type: 'line', step: 'end', data: d.threshold,
                      showSymbol: false, lineStyle: {width: 1, type: 'dashed'}});
                  });
                  s.push({name: tag + 'alerts', type: 'scatter', symbol: i === 0 ? 'circle' : 'diamond', symbolSize: 10,
                    data: r.alerts.map(function (a) { return {value: [a[0], a[1]], detector: a[2], uid: a[3]}; }),
                    tooltip: {trigger: 'item', formatter: function (p) {
                      return 'alert ' + p.data.detector + '<br>' + new Date(p.value[0]).toISOString() + '<br>' + p.data.uid; }}});
                });
                var empty = t.runs.every(function (r) { return r.series.length === 0; });
                if (t.incident) {
                  s.push({name: 'incident', type: 'line', data: [], markArea: {silent: true, data: [
                    [{xAxis: t.incident.start, itemStyle: {color: 'rgba(220,40,40,0.16)'}}, {xAxis: t.incident.end}],
                    [{xAxis: t.incident.end, itemStyle: {color: 'rgba(240,150,40,0.12)'}}, {xAxis: t.incident.graceEnd}]
                  ]}});
                }
                var zoom = t.zoom ? {startValue: t.zoom[0], endValue: t.zoom[1]} : {};
                chart(t.id, {
                  title: {text: t.title, subtext: empty ? 'no scores reported for this key' : '', textStyle: {fontSize: 13}},
                  tooltip: {trigger: 'axis'}, legend: {type: 'scroll', bottom: 0},
                  grid: {left: 50, right: 20, top: 48, bottom: 72},
                  xAxis: t.range ? {type: 'time', min: t.range[0], max: t.range[1]} : {type: 'time'},
                  yAxis: {type: 'value', name: '-log10 p'},
                  dataZoom: [Object.assign({type: 'inside'}, zoom), Object.assign({type: 'slider', height: 16, bottom: 30}, zoom)],
                  series: s
                });
              });
              document.body.setAttribute('data-charts-rendered', String(rendered));
            })();
            """;
}
