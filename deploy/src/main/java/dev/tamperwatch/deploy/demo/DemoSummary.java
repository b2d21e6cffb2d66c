package dev.tamperwatch.deploy.demo;

import dev.tamperwatch.load.Label;
import dev.tamperwatch.load.ScenarioPlan;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Attacks injected versus detected: an attack counts as detected when an alert of the detector
 * family meant to catch it ({@link DemoTraffic#expectedDetector}) names its subject (same key type
 * and key) at an event time within its window plus {@link #GRACE}; alerts on subjects no attack
 * labels are counted against normal traffic.
 */
final class DemoSummary {

    /** How long after an attack's end an alert still counts as detecting it. */
    static final Duration GRACE = Duration.ofHours(1);

    private final ScenarioPlan plan;
    private final List<AlertView> alerts;
    private final Instant trafficEnd;

    DemoSummary(ScenarioPlan plan, List<AlertView> alerts, Instant trafficEnd) {
        this.plan = plan;
        this.alerts = alerts;
        this.trafficEnd = trafficEnd;
    }

    void print(PrintStream out) {
        out.println();
        out.println("summary: attacks injected vs detected");
        int detected = 0;
        for (Label target : plan.targets()) {
            Optional<AlertView> first = firstMatch(target);
            String subject = target.keyType().jsonName() + " " + target.key();
            if (first.isPresent()) {
                detected++;
                Duration delay =
                        Duration.ofMillis(
                                Math.max(0, first.get().time() - target.start().toEpochMilli()));
                out.printf(
                        "  DETECTED  %-20s %-36s by %s, %d min after it began (event time)%n",
                        target.scenario(), subject, caughtBy(first.get()), delay.toMinutes());
            } else if (trafficEnd == null || trafficEnd.isBefore(target.end())) {
                out.printf(
                        "  PENDING   %-20s %-36s traffic stopped before the attack was complete;"
                                + " run longer%n",
                        target.scenario(), subject);
            } else {
                out.printf("  MISSED    %-20s %s%n", target.scenario(), subject);
            }
        }
        Set<String> attacked =
                plan.labels().stream()
                        .map(l -> l.keyType().jsonName() + " " + l.key())
                        .collect(Collectors.toSet());
        List<AlertView> others =
                alerts.stream()
                        .filter(a -> !attacked.contains(a.keyType() + " " + a.key()))
                        .toList();
        long models = others.stream().filter(a -> a.keyType().equals("model")).count();
        out.printf(
                "  %d of %d attacks detected; %d alerts in total, %d on identities or agents that"
                        + " were not attacked",
                detected, plan.targets().size(), alerts.size(), others.size() - models);
        out.printf(
                models == 0
                        ? "%n"
                        : ", %d on models (a model that served an attacker shows the attack too)%n",
                models);
    }

    /** The detector and, where it runs several tests, the one that fired. */
    static String caughtBy(AlertView alert) {
        String test =
                switch (alert.measure()) {
                    case "embedding_cosine_distance" -> "per-event outlier";
                    case "embedding_mmd2" -> "window distribution shift";
                    case "embedding_drift_mmd2" -> "fast-versus-slow drift";
                    case "output_tokens", "output_chars" -> "exfiltration-sized output";
                    case "window_tokens" -> "token use in a window";
                    case "output_tokens_drift", "output_chars_drift" -> "gradual growth";
                    default -> null;
                };
        return test == null ? alert.detector() : alert.detector() + " (" + test + ")";
    }

    private Optional<AlertView> firstMatch(Label target) {
        long from = target.start().toEpochMilli();
        long to = target.end().plus(GRACE).toEpochMilli();
        String detector = DemoTraffic.expectedDetector(target.scenario());
        String measure = DemoTraffic.expectedMeasure(target.scenario());
        return alerts.stream()
                .filter(a -> detector == null || a.detector().equals(detector))
                .filter(a -> measure == null || a.measure().equals(measure))
                .filter(a -> a.keyType().equals(target.keyType().jsonName()))
                .filter(a -> a.key().equals(target.key()))
                .filter(a -> a.time() >= from && a.time() <= to)
                .min(Comparator.comparingLong(AlertView::time));
    }
}
