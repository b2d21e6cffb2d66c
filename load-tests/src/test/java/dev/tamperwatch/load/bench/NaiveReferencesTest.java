package dev.tamperwatch.load.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The plain references do the job they stand for: quiet on stable input, alert on a change. */
class NaiveReferencesTest {

    private static final long HOUR = 3_600_000L;

    @Test
    void refusalReferenceAlertsOnASpikeOnly() {
        NaiveRefusalRate reference = new NaiveRefusalRate(HOUR, 1e-5, 0.05, 20, 50, 5, 1000);
        long time = 0;
        int alerts = 0;
        for (int w = 0; w < 100; w++, time += HOUR) {
            for (int i = 0; i < 40; i++) {
                alerts += reference.onEvent(i % 20 == 0, "e", time + i);
            }
        }
        assertThat(alerts).isZero();

        for (int i = 0; i < 40; i++) {
            alerts += reference.onEvent(i % 2 == 0, "e", time + i);
        }
        alerts += reference.onEvent(false, "e", time + HOUR);

        assertThat(alerts).isEqualTo(1);
    }

    @Test
    void toolMixReferenceAlertsOnANovelToolAndOnAShift() {
        NaiveToolMix reference = new NaiveToolMix(HOUR, 1e-5, 0.01, 100, 0.5, 20, 1000);
        String[] tools = {"search_kb", "get_customer", "update_ticket"};
        long time = 0;
        int alerts = 0;
        for (int w = 0; w < 50; w++, time += HOUR) {
            for (int i = 0; i < 60; i++) {
                alerts += reference.onEvent(tools[i % 3], "e", time + i);
            }
        }
        assertThat(alerts).isZero();

        assertThat(reference.onEvent("export_table", "e", time)).isEqualTo(1);
        for (int i = 0; i < 60; i++) {
            reference.onEvent("search_kb", "e", time + i);
        }
        assertThat(reference.onEvent("search_kb", "e", time + HOUR)).isEqualTo(1);
    }

    @Test
    void activityReferenceAlertsOnABurst() {
        NaiveActivityRate reference = new NaiveActivityRate(HOUR, 1e-5);
        long time = 0;
        int alerts = 0;
        for (int w = 0; w < 14 * 24; w++, time += HOUR) {
            for (int i = 0; i < 20; i++) {
                alerts += reference.onEvent("e", time + i);
            }
        }
        assertThat(alerts).isZero();

        for (int i = 0; i < 200; i++) {
            reference.onEvent("e", time + i);
        }
        assertThat(reference.onEvent("e", time + HOUR)).isEqualTo(1);
    }
}
