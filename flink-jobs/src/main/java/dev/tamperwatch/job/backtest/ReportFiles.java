package dev.tamperwatch.job.backtest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.job.backtest.BacktestMetrics.Metrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files a backtest writes into its report directory: {@value #ALERTS} (the OCSF alerts of the
 * first run, one per line, sorted by time then uid), {@value #COMPARE_ALERTS} (those of the second
 * run, with {@code --compare}), {@value #METRICS} (every figure, machine-readable) and {@value
 * #REPORT} (the HTML report).
 */
public final class ReportFiles {

    public static final String ALERTS = "alerts.jsonl";
    public static final String COMPARE_ALERTS = "alerts-compare.jsonl";
    public static final String METRICS = "metrics.json";
    public static final String REPORT = "report.html";

    /** The mapper of metrics.json: snake_case names, absent figures left out, stable layout. */
    static final ObjectMapper METRICS_JSON =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ReportFiles() {}

    /** Writes alerts as JSON Lines. */
    public static void writeAlerts(Path file, List<AlertRecord> alerts) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (AlertRecord alert : alerts) {
                out.write(alert.json);
                out.write('\n');
            }
        }
    }

    /**
     * The metrics document: the first run's figures at the top level, the second run's under {@code
     * compare} and their comparison under {@code comparison}.
     */
    public static ObjectNode metricsDocument(
            Metrics first, Metrics second, RunComparison comparison) {
        ObjectNode root = METRICS_JSON.valueToTree(first);
        if (second != null) {
            root.set("compare", METRICS_JSON.valueToTree(second));
            root.set("comparison", METRICS_JSON.valueToTree(comparison));
        }
        return root;
    }

    /** Writes the metrics document. */
    public static void writeMetrics(Path file, ObjectNode document) throws IOException {
        Files.writeString(
                file,
                METRICS_JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n",
                StandardCharsets.UTF_8);
    }
}
