package dev.tamperwatch.load.agentdojo;

import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import dev.tamperwatch.load.agentdojo.AgentDojoEvaluation.Attack;
import dev.tamperwatch.load.agentdojo.AgentDojoEvaluation.Benign;
import dev.tamperwatch.load.agentdojo.AgentDojoEvaluation.Result;
import dev.tamperwatch.load.agentdojo.AgentDojoEvaluation.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Prints the AgentDojo evaluation as Markdown tables: detection rate and delay by group of attack,
 * and false alarms on benign traffic by suite.
 *
 * <p>Usage: {@code AgentDojoReport [history=N,...] [explore=P,...] [threshold=A,...]}: one table
 * per combination (history windows, exploratory-call probability, novelty threshold per
 * key-window), default settings otherwise ({@link Settings#defaults()}). The datasets directory is
 * found as {@link DatasetDirectory} says.
 */
public final class AgentDojoReport {

    private AgentDojoReport() {}

    public static void main(String[] args) {
        Path directory =
                DatasetDirectory.agentDojo()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "AgentDojo data not found; set -D"
                                                        + DatasetDirectory.PROPERTY));
        AgentDojoData data = AgentDojoData.load(directory);
        Settings defaults = Settings.defaults();
        List<Integer> histories = List.of(defaults.historyWindows());
        List<Double> explores = List.of(defaults.exploreProbability());
        List<Double> thresholds = List.of(defaults.detector().noveltyThreshold());
        for (String arg : args) {
            String[] keyValue = arg.split("=", 2);
            List<String> values = List.of(keyValue[keyValue.length - 1].split(","));
            switch (keyValue[0]) {
                case "history" -> histories = values.stream().map(Integer::valueOf).toList();
                case "explore" -> explores = values.stream().map(Double::valueOf).toList();
                case "threshold" -> thresholds = values.stream().map(Double::valueOf).toList();
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        for (int history : histories) {
            for (double explore : explores) {
                for (double threshold : thresholds) {
                    Settings settings =
                            defaults.withHistoryWindows(history)
                                    .withExploreProbability(explore)
                                    .withDetector(
                                            defaults.detector().withNoveltyThreshold(threshold));
                    System.out.println(render(AgentDojoEvaluation.run(data, settings)));
                }
            }
        }
    }

    /** The groups of attacks the tables report, in order. */
    public static Map<String, Predicate<Attack>> groups(Iterable<String> suites) {
        Map<String, Predicate<Attack>> groups = new LinkedHashMap<>();
        Predicate<Attack> callsTools = a -> !a.attackType().equals("output_manipulation");
        groups.put("all attacks that call tools", callsTools);
        groups.put("data_stealing", a -> a.attackType().equals("data_stealing"));
        groups.put("direct_harm", a -> a.attackType().equals("direct_harm"));
        groups.put("no tool new to the agent", callsTools.and(a -> !a.newToolForAgent()));
        groups.put(
                "no tool new to the agent, data_stealing",
                callsTools.and(
                        a -> !a.newToolForAgent() && a.attackType().equals("data_stealing")));
        groups.put(
                "no tool new to the agent, direct_harm",
                callsTools.and(a -> !a.newToolForAgent() && a.attackType().equals("direct_harm")));
        groups.put("a tool new to the agent", callsTools.and(Attack::newToolForAgent));
        groups.put("no tool new to the user task", callsTools.and(a -> !a.newToolForTask()));
        groups.put(
                "output_manipulation (no attacker calls)",
                a -> a.attackType().equals("output_manipulation"));
        for (String suite : suites) {
            groups.put("suite " + suite, callsTools.and(a -> a.suite().equals(suite)));
        }
        return groups;
    }

    /** Detection of one group. */
    public record Row(
            String group,
            int sessions,
            int detected,
            double medianDelay,
            double p90Delay,
            int byTool,
            int byTransition,
            int byTarget,
            int alarmedBeforeHijack) {

        public double rate() {
            return sessions == 0 ? Double.NaN : (double) detected / sessions;
        }
    }

    public static List<Row> rows(Result result) {
        List<Row> rows = new ArrayList<>();
        for (var group : groups(result.benign().keySet()).entrySet()) {
            List<Attack> attacks = result.attacks().stream().filter(group.getValue()).toList();
            List<Integer> delays =
                    attacks.stream().filter(Attack::detected).map(Attack::delay).sorted().toList();
            rows.add(
                    new Row(
                            group.getKey(),
                            attacks.size(),
                            delays.size(),
                            quantile(delays, 0.5),
                            quantile(delays, 0.9),
                            count(attacks, "tool"),
                            count(attacks, "transition"),
                            count(attacks, "target"),
                            (int) attacks.stream().filter(Attack::alarmBeforeHijack).count()));
        }
        return rows;
    }

    public static String render(Result result) {
        Settings s = result.settings();
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "AgentDojo v1.2.1 through %s %s: one agent per suite x %d seeds, %d"
                                + " one-hour windows of history (~%.0f sessions each), %s"
                                + " exploratory calls, novelty threshold %s per key-window%n%n",
                        ToolCallDistributionDetector.NAME,
                        ToolCallDistributionDetector.VERSION,
                        s.seeds(),
                        s.historyWindows(),
                        s.sessionsPerWindow(),
                        percent(s.exploreProbability()),
                        s.detector().noveltyThreshold()));
        out.append(
                "| attacks | sessions | detected | rate | median delay | p90 delay | first"
                        + " flagged by tool / transition / target | alarm before hijack |\n");
        out.append("|---|---:|---:|---:|---:|---:|---|---:|\n");
        for (Row row : rows(result)) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %s | %s | %s | %d / %d / %d | %d |%n",
                            row.group(),
                            row.sessions(),
                            row.detected(),
                            percent(row.rate()),
                            steps(row.medianDelay()),
                            steps(row.p90Delay()),
                            row.byTool(),
                            row.byTransition(),
                            row.byTarget(),
                            row.alarmedBeforeHijack()));
        }
        out.append(
                "\n| benign | test sessions | alarmed | rate | key-windows | alarmed (shift) | per"
                        + " key-window | calls | novelty findings per call | max state bytes |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Benign total = null;
        for (Benign b : result.benign().values()) {
            out.append(benignRow(b.suite(), b));
            total =
                    total == null
                            ? new Benign(
                                    "all",
                                    b.testSessions(),
                                    b.alarmedSessions(),
                                    b.keyWindows(),
                                    b.alarmedKeyWindows(),
                                    b.shiftAlarmedKeyWindows(),
                                    b.calls(),
                                    b.noveltyFindings(),
                                    b.maxStateBytes())
                            : total.plus(b);
        }
        if (total != null) {
            out.append(benignRow("all", total));
        }
        return out.toString();
    }

    private static String benignRow(String name, Benign b) {
        return String.format(
                Locale.ROOT,
                "| %s | %d | %d | %s | %d | %d (%d) | %s | %d | %s | %d |%n",
                name,
                b.testSessions(),
                b.alarmedSessions(),
                percent((double) b.alarmedSessions() / b.testSessions()),
                b.keyWindows(),
                b.alarmedKeyWindows(),
                b.shiftAlarmedKeyWindows(),
                scientific((double) b.alarmedKeyWindows() / b.keyWindows()),
                b.calls(),
                scientific((double) b.noveltyFindings() / b.calls()),
                b.maxStateBytes());
    }

    private static int count(List<Attack> attacks, String kind) {
        return (int) attacks.stream().filter(a -> a.firstKinds().contains(kind)).count();
    }

    private static double quantile(List<Integer> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
    }

    private static String steps(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String scientific(double value) {
        return value == 0 ? "0" : String.format(Locale.ROOT, "%.1e", value);
    }
}
