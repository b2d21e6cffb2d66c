package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DiscoveryRateTest {

    @Test
    void perTrialIsMissingMassWithOnePseudoSingleton() {
        assertThat(DiscoveryRate.perTrial(0, 0, 0, 999)).isEqualTo(0.001);
        assertThat(DiscoveryRate.perTrial(3, 2, 1, 99)).isEqualTo(0.07);
        assertThat(DiscoveryRate.perTrial(0, 0, 0, 0)).isEqualTo(1.0);
        assertThat(DiscoveryRate.perTrial(50, 60, 0, 99)).as("capped").isEqualTo(1.0);
    }

    @Test
    void perWindowIsTheChanceOfAnyDiscoveryAmongTheWindowsTrials() {
        assertThat(DiscoveryRate.perWindow(0.001, 1)).isCloseTo(0.001, within(1e-15));
        assertThat(DiscoveryRate.perWindow(0.001, 50))
                .isCloseTo(1 - Math.pow(0.999, 50), within(1e-15));
        assertThat(DiscoveryRate.perWindow(1e-9, 1e4)).isCloseTo(1e-5, within(1e-9));
        assertThat(DiscoveryRate.perWindow(1.0, 0.5)).isEqualTo(1.0);
        assertThat(DiscoveryRate.perWindow(0.3, 0)).isZero();
    }
}
