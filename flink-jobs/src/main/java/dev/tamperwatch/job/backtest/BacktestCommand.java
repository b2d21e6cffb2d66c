package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.DurationConverter;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.alert.AlertFormat;
import dev.tamperwatch.job.backtest.BacktestMetrics.Figures;
import dev.tamperwatch.job.backtest.BacktestMetrics.Metrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tamperwatch backtest}: replays recorded events through the detect pipeline on a local
 * Flink MiniCluster, matches the alerts with labelled incidents and writes alerts, metrics and an
 * HTML report. Exit status 0 on success, 2 for unusable input (one message naming the file, line
 * and field), 1 if the replay fails.
 */
@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replays recorded events through the detect pipeline and reports how well it catches"
                    + " labelled incidents: recall, alert precision, F1, detection delay, false"
                    + " alerts per 1,000 key-days, alerts per day, per detector and per scenario.",
            "Writes alerts.jsonl, metrics.json and a self-contained report.html to the report"
                    + " directory."
        })
public final class BacktestCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--events",
            required = true,
            paramLabel = "SOURCE",
            description =
                    "Events to replay: a JSON Lines or Avro file, a directory of such files (read"
                            + " in name order), or kafka:TOPIC.")
    String events;

    @Option(
            names = "--labels",
            paramLabel = "FILE",
            description =
                    "Labelled incidents, JSON Lines: incident_id, scenario, key_type"
                            + " (principal|agent|model|trace|application), key, start, end. Without it"
                            + " only alert volume and top keys are reported.")
    Path labels;

    @Option(
            names = "--report",
            required = true,
            paramLabel = "DIR",
            description = "Directory for alerts.jsonl, metrics.json and report.html.")
    Path report;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Pipeline settings, YAML or JSON (window, false_alarm_rate, novelty_threshold,"
                            + " max_out_of_orderness, state_ttl); defaults otherwise.")
    Path config;

    @Option(
            names = "--compare",
            paramLabel = "FILE",
            description = "A second settings file: both run and are shown side by side.")
    Path compare;

    @Option(
            names = "--grace",
            defaultValue = "1h",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "How long after an incident ends an alert still counts as detecting it"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            description =
                    "Start of the replay: epoch ms or ISO-8601 (event time for files, record time"
                            + " for Kafka), or offset:N (Kafka).")
    String from;

    @Option(
            names = "--to",
            paramLabel = "TIME",
            description = "End of the replay, exclusive; same forms as --from.")
    String to;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers for kafka: sources (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property for kafka: sources; repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(spec.commandLine().getOut(), err);
        } catch (BacktestInputException e) {
            err.println("tamperwatch backtest: " + e.getMessage());
            err.flush();
            return 2;
        } catch (Exception e) {
            err.println("tamperwatch backtest: the replay failed: " + rootCause(e));
            err.flush();
            return 1;
        }
    }

    private int run(PrintWriter out, PrintWriter err) throws Exception {
        TimeArgument fromBound = from == null ? null : TimeArgument.parse("--from", from);
        TimeArgument toBound = to == null ? null : TimeArgument.parse("--to", to);
        List<Incident> incidents = null;
        if (labels != null) {
            incidents = Incident.of(LabelsFile.read(labels));
        }
        PipelineConfig first = config == null ? PipelineConfig.defaults() : ConfigFile.read(config);
        PipelineConfig second = compare == null ? null : ConfigFile.read(compare);
        for (PipelineConfig c : new PipelineConfig[] {first, second}) {
            if (c != null && c.alertFormat() != AlertFormat.OCSF) {
                err.println(
                        "note: alert_format "
                                + c.alertFormat()
                                + " ignored; backtests write OCSF alerts");
            }
        }
        try {
            Files.createDirectories(report);
        } catch (IOException e) {
            throw new BacktestInputException(
                    "--report: cannot create directory " + report + ": " + LabelsFile.describe(e),
                    e);
        }
        EventInput input =
                EventInput.resolve(events, fromBound, toBound, bootstrapServers, kafkaProperties);
        err.printf(
                Locale.ROOT,
                "backtest: replaying %s (%s records)%s%n",
                input.description(),
                input.totalRecords() < 0
                        ? "unknown number of"
                        : String.format(Locale.ROOT, "%,d", input.totalRecords()),
                incidents == null
                        ? ", no labels"
                        : ", " + incidents.size() + " labelled incidents");
        err.flush();

        List<HtmlReport.Run> runs = new ArrayList<>();
        List<Metrics> metrics = new ArrayList<>();
        BacktestRun.Result firstResult = null;
        BacktestRun.Result secondResult = null;
        for (int i = 0; i < (second == null ? 1 : 2); i++) {
            String name = i == 0 ? "A" : "B";
            Path file = i == 0 ? config : compare;
            ReplayProgress progress = new ReplayProgress(err, name, input.totalRecords());
            BacktestRun.Result result =
                    BacktestRun.run(input, i == 0 ? first : second, progress::update);
            progress.done(result.input().records, result.alerts().size());
            List<AlertFacts> facts = result.alerts().stream().map(AlertFacts::of).toList();
            Metrics m =
                    BacktestMetrics.compute(
                            facts,
                            incidents,
                            new BacktestMetrics.Context(
                                    events,
                                    result.input(),
                                    file == null ? null : file.toString(),
                                    ConfigFile.describe(result.config()),
                                    grace.toMillis(),
                                    result.deadLetters(),
                                    result.scores().scoresByDetector(),
                                    result.afterEnd().size()));
            if (!result.afterEnd().isEmpty()) {
                err.printf(
                        Locale.ROOT,
                        "note: run %s: %d alerts about incomplete windows after the last event"
                                + " (closed by the end of the replay) are not counted%n",
                        name,
                        result.afterEnd().size());
            }
            metrics.add(m);
            runs.add(new HtmlReport.Run(name, m, facts, result.scores()));
            if (i == 0) {
                firstResult = result;
            } else {
                secondResult = result;
            }
        }
        RunComparison comparison =
                metrics.size() == 2 ? RunComparison.of(metrics.get(0), metrics.get(1)) : null;

        ReportFiles.writeAlerts(report.resolve(ReportFiles.ALERTS), firstResult.alerts());
        if (secondResult != null) {
            ReportFiles.writeAlerts(
                    report.resolve(ReportFiles.COMPARE_ALERTS), secondResult.alerts());
        }
        ReportFiles.writeMetrics(
                report.resolve(ReportFiles.METRICS),
                ReportFiles.metricsDocument(
                        metrics.get(0), metrics.size() == 2 ? metrics.get(1) : null, comparison));
        Files.writeString(
                report.resolve(ReportFiles.REPORT),
                new HtmlReport(runs, incidents, comparison, grace.toMillis()).render());

        for (int i = 0; i < metrics.size(); i++) {
            summary(out, runs.get(i).name(), i == 0 ? config : compare, metrics.get(i));
        }
        if (comparison != null) {
            out.printf(
                    Locale.ROOT,
                    "B versus A: %+,d alerts; caught by A only: %s; by B only: %s%n",
                    comparison.alertDelta(),
                    comparison.onlyFirst().isEmpty()
                            ? "none"
                            : String.join(", ", comparison.onlyFirst()),
                    comparison.onlySecond().isEmpty()
                            ? "none"
                            : String.join(", ", comparison.onlySecond()));
        }
        out.printf(
                "report: %s (with %s and %s)%n",
                report.resolve(ReportFiles.REPORT), ReportFiles.METRICS, ReportFiles.ALERTS);
        out.flush();
        return 0;
    }

    private static void summary(PrintWriter out, String name, Path file, Metrics m) {
        out.printf(
                Locale.ROOT,
                "run %s (%s): %,d records, %,d events, %,d dead letters, %.2f days of event time%n",
                name,
                file == null ? "default settings" : file.toString(),
                m.input().records(),
                m.input().events(),
                m.input().deadLetters(),
                m.input().days());
        Figures f = m.overall();
        if (m.labelled()) {
            out.printf(
                    Locale.ROOT,
                    "  incidents detected %d / %d (recall %s), alert precision %s, F1 %s%n",
                    f.detected(),
                    f.incidents(),
                    pct(f.recall()),
                    pct(f.precision()),
                    f.f1() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", f.f1()));
            out.printf(
                    Locale.ROOT,
                    "  detection delay median %s, p90 %s%n",
                    f.detectionDelay().medianMs() == null
                            ? "n/a"
                            : DurationFormat.human(f.detectionDelay().medianMs()),
                    f.detectionDelay().p90Ms() == null
                            ? "n/a"
                            : DurationFormat.human(f.detectionDelay().p90Ms()));
            StringBuilder rates = new StringBuilder();
            f.falseAlertsPer1000KeyDays()
                    .forEach(
                            (type, rate) ->
                                    rates.append(
                                            String.format(Locale.ROOT, "%s %.3g, ", type, rate)));
            out.printf(
                    Locale.ROOT,
                    "  false alerts %,d; per 1,000 key-days: %s%n",
                    f.falseAlerts(),
                    rates.length() == 0 ? "n/a" : rates.substring(0, rates.length() - 2));
        }
        out.printf(Locale.ROOT, "  alerts %,d, %.3g per day%n", f.alerts(), f.alertsPerDay());
        m.byDetector()
                .forEach(
                        (detector, d) ->
                                out.printf(
                                        Locale.ROOT,
                                        "  %-24s %,6d alerts%s%n",
                                        detector,
                                        d.alerts(),
                                        m.labelled()
                                                ? String.format(
                                                        Locale.ROOT,
                                                        ", recall %s, precision %s",
                                                        pct(d.recall()),
                                                        pct(d.precision()))
                                                : ""));
    }

    private static String pct(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getName() : message;
    }
}
