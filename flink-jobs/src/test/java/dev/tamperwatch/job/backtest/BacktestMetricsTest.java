package dev.tamperwatch.job.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tamperwatch.job.backtest.BacktestMetrics.Figures;
import dev.tamperwatch.job.backtest.BacktestMetrics.IncidentOutcome;
import dev.tamperwatch.job.backtest.BacktestMetrics.KeyCount;
import dev.tamperwatch.job.backtest.BacktestMetrics.Metrics;
import dev.tamperwatch.job.backtest.BacktestMetrics.ScenarioFigures;
import dev.tamperwatch.job.backtest.IncidentLabel.KeyType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metric definitions on a hand-made case whose answers are worked out by hand. */
class BacktestMetricsTest {

    private static final long DAY = 86_400_000L;
    private static final long GRACE = 500;

    /*
     * Incidents: jb-1 (principal acme/u-1, [1000, 2000]); pi-1 (agent acme/a-1, [5000, 6000], and
     * trace acme/t-9, [5100, 5200]); jb-2 (principal acme/u-2, [8000, 9000]), never alerted on.
     */
    private final List<Incident> incidents =
            Incident.of(
                    List.of(
                            label("jb-1", "jailbreak", KeyType.PRINCIPAL, "acme/u-1", 1000, 2000),
                            label("pi-1", "injection", KeyType.AGENT, "acme/a-1", 5000, 6000),
                            label("pi-1", "injection", KeyType.TRACE, "acme/t-9", 5100, 5200),
                            label("jb-2", "jailbreak", KeyType.PRINCIPAL, "acme/u-2", 8000, 9000)));

    private final List<AlertFacts> alerts =
            List.of(
                    alert("r1", "refusal", "principal", "acme/u-1", 500, null), // before: false
                    alert("r2", "refusal", "principal", "acme/u-1", 1500, null), // jb-1
                    alert("r3", "refusal", "principal", "acme/u-1", 2400, null), // jb-1, in grace
                    alert("r4", "refusal", "principal", "acme/u-1", 2600, null), // after: false
                    alert("t1", "tools", "agent", "acme/a-9", 5600, "acme/t-9"), // pi-1 by trace
                    alert("t2", "tools", "agent", "acme/a-1", 6200, null), // pi-1, in grace
                    alert("t3", "tools", "agent", "acme/a-3", 7000, null)); // false

    private Metrics compute(List<Incident> labels) {
        InputStats in = new InputStats();
        in.complete = true;
        in.records = 1002;
        in.events = 1000;
        in.deadLetters = 2;
        in.minEventTime = 0;
        in.maxEventTime = 2 * DAY;
        in.keyTypes = new String[] {"principal", "agent"};
        in.keys = new long[] {20, 5};
        in.keyDays = new long[] {40, 10};
        return BacktestMetrics.compute(
                alerts,
                labels,
                new BacktestMetrics.Context(
                        "events.jsonl",
                        in,
                        null,
                        Map.of(),
                        GRACE,
                        List.of(),
                        Map.of("tools", 9L),
                        2));
    }

    @Test
    void overallFigures() {
        Figures f = compute(incidents).overall();

        assertThat(f.incidents()).isEqualTo(3);
        assertThat(f.detected()).isEqualTo(2);
        assertThat(f.recall()).isCloseTo(2.0 / 3, within(1e-5));
        assertThat(f.alerts()).isEqualTo(7);
        assertThat(f.matchingAlerts()).isEqualTo(4);
        assertThat(f.falseAlerts()).isEqualTo(3);
        assertThat(f.precision()).isCloseTo(4.0 / 7, within(1e-5));
        assertThat(f.f1()).isCloseTo(16.0 / 26, within(1e-5));
        // jb-1 first caught at 1500 (delay 500), pi-1 at 5600 (delay 600).
        assertThat(f.detectionDelay().count()).isEqualTo(2);
        assertThat(f.detectionDelay().medianMs()).isEqualTo(550.0);
        assertThat(f.detectionDelay().p90Ms()).isEqualTo(590.0);
        // False: two principal alerts over 40 key-days, one agent alert over 10.
        assertThat(f.falseAlertsPer1000KeyDays())
                .hasSize(3)
                .containsEntry("principal", 50.0)
                .containsEntry("agent", 100.0)
                .containsEntry("all", 60.0);
        assertThat(f.alertsPerDay()).isEqualTo(3.5);
    }

    @Test
    void perDetectorFigures() {
        Map<String, Figures> by = compute(incidents).byDetector();

        assertThat(by).containsOnlyKeys("refusal", "tools");
        Figures refusal = by.get("refusal");
        assertThat(refusal.alerts()).isEqualTo(4);
        assertThat(refusal.precision()).isEqualTo(0.5);
        assertThat(refusal.detected()).isEqualTo(1);
        assertThat(refusal.recall()).isCloseTo(1.0 / 3, within(1e-5));
        assertThat(refusal.f1()).isCloseTo(0.4, within(1e-5));
        assertThat(refusal.detectionDelay().medianMs()).isEqualTo(500.0);
        assertThat(refusal.falseAlertsPer1000KeyDays())
                .containsEntry("principal", 50.0)
                .containsEntry("agent", 0.0)
                .containsEntry("all", 40.0);

        Figures tools = by.get("tools");
        assertThat(tools.alerts()).isEqualTo(3);
        assertThat(tools.precision()).isCloseTo(2.0 / 3, within(1e-5));
        assertThat(tools.recall()).isCloseTo(1.0 / 3, within(1e-5));
        assertThat(tools.f1()).isCloseTo(4.0 / 9, within(1e-5));
        assertThat(tools.detectionDelay().medianMs()).isEqualTo(600.0);
        assertThat(tools.falseAlertsPer1000KeyDays()).containsEntry("agent", 100.0);
    }

    @Test
    void perScenarioAndPerIncident() {
        Metrics m = compute(incidents);

        ScenarioFigures jailbreak = m.byScenario().get("jailbreak");
        assertThat(jailbreak.incidents()).isEqualTo(2);
        assertThat(jailbreak.detected()).isEqualTo(1);
        assertThat(jailbreak.recall()).isEqualTo(0.5);
        assertThat(jailbreak.matchingAlerts()).isEqualTo(2);
        assertThat(jailbreak.detectedBy()).containsExactly(Map.entry("refusal", 1));
        ScenarioFigures injection = m.byScenario().get("injection");
        assertThat(injection.recall()).isEqualTo(1.0);
        assertThat(injection.detectionDelay().medianMs()).isEqualTo(600.0);

        List<IncidentOutcome> outcomes = m.incidents();
        assertThat(outcomes)
                .extracting(IncidentOutcome::incidentId, IncidentOutcome::detected)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("jb-1", true),
                        org.assertj.core.groups.Tuple.tuple("pi-1", true),
                        org.assertj.core.groups.Tuple.tuple("jb-2", false));
        assertThat(outcomes.get(0).firstAlertUid()).isEqualTo("r2");
        assertThat(outcomes.get(0).matchingAlerts()).isEqualTo(2);
        assertThat(outcomes.get(1).firstAlertUid()).isEqualTo("t1");
        assertThat(outcomes.get(1).delayMs()).isEqualTo(600L);
        assertThat(outcomes.get(1).detectors()).containsExactly("tools");
    }

    @Test
    void alertVolumeAndKeys() {
        Metrics m = compute(incidents);

        assertThat(m.alerts().total()).isEqualTo(7);
        assertThat(m.alerts().afterEndOfReplay()).isEqualTo(2);
        assertThat(m.alerts().byDetector())
                .containsExactly(Map.entry("refusal", 4L), Map.entry("tools", 3L));
        assertThat(m.alerts().byDay()).containsExactly(Map.entry("1970-01-01", 7L));
        assertThat(m.alerts().topKeys().get(0))
                .isEqualTo(new KeyCount("principal", "acme/u-1", 4, 2L, true));
        assertThat(m.alerts().noisiestUnlabelledKeys())
                .extracting(KeyCount::key)
                .containsExactly("acme/a-3", "acme/a-9");
        assertThat(m.scoresByDetector()).containsExactly(Map.entry("tools", 9L));
    }

    @Test
    void withoutLabelsOnlyVolumeAndTopKeys() {
        Metrics m = compute(null);

        assertThat(m.labelled()).isFalse();
        assertThat(m.overall().recall()).isNull();
        assertThat(m.overall().precision()).isNull();
        assertThat(m.overall().falseAlertsPer1000KeyDays()).isNull();
        assertThat(m.overall().alerts()).isEqualTo(7);
        assertThat(m.overall().alertsPerDay()).isEqualTo(3.5);
        assertThat(m.byScenario()).isNull();
        assertThat(m.incidents()).isNull();
        assertThat(m.alerts().topKeys()).extracting(KeyCount::falseAlerts).containsOnlyNulls();
    }

    @Test
    void noAlertsMeansNoPrecisionAndNoDelay() {
        InputStats in = new InputStats();
        in.keyTypes = new String[] {"principal"};
        in.keys = new long[] {1};
        in.keyDays = new long[] {1};
        Metrics m =
                BacktestMetrics.compute(
                        List.of(),
                        incidents,
                        new BacktestMetrics.Context(
                                "x", in, null, Map.of(), 0, List.of(), Map.of(), 0));

        assertThat(m.overall().recall()).isEqualTo(0.0);
        assertThat(m.overall().precision()).isNull();
        assertThat(m.overall().f1()).isNull();
        assertThat(m.overall().detectionDelay().medianMs()).isNull();
    }

    @Test
    void comparisonOfTwoRuns() {
        Metrics first = compute(incidents);
        List<AlertFacts> fewer = alerts.subList(0, 4);
        InputStats in = new InputStats();
        in.minEventTime = 0;
        in.maxEventTime = 2 * DAY;
        in.events = 1000;
        in.keyTypes = new String[] {"principal", "agent"};
        in.keys = new long[] {20, 5};
        in.keyDays = new long[] {40, 10};
        Metrics second =
                BacktestMetrics.compute(
                        fewer,
                        incidents,
                        new BacktestMetrics.Context(
                                "x", in, null, Map.of(), GRACE, List.of(), Map.of(), 0));

        RunComparison c = RunComparison.of(first, second);

        assertThat(c.caughtByBoth()).containsExactly("jb-1");
        assertThat(c.onlyFirst()).containsExactly("pi-1");
        assertThat(c.onlySecond()).isEmpty();
        assertThat(c.neither()).containsExactly("jb-2");
        assertThat(c.alertDelta()).isEqualTo(-3);
        assertThat(c.alertDeltaByDetector())
                .containsEntry("tools", -3L)
                .containsEntry("refusal", 0L);
        assertThat(c.figureDelta().get("recall")).isCloseTo(-1.0 / 3, within(1e-5));
    }

    private static IncidentLabel label(
            String id, String scenario, KeyType type, String key, long start, long end) {
        return new IncidentLabel(id, scenario, type, key, start, end, 1);
    }

    private static AlertFacts alert(
            String uid, String detector, String keyType, String key, long time, String trace) {
        return new AlertFacts(uid, detector, keyType, key, time, trace, "acme/crm", 1e-6, time);
    }
}
