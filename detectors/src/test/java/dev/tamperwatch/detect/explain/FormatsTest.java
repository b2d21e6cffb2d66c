package dev.tamperwatch.detect.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void percentages() {
        assertThat(Formats.percent(0.525)).isEqualTo("52.5%");
        assertThat(Formats.percent(0.031)).isEqualTo("3.1%");
        assertThat(Formats.percent(0.0)).isEqualTo("0%");
        assertThat(Formats.percent(0.125)).isEqualTo("12.5%");
        assertThat(Formats.percent(0.01)).isEqualTo("1%");
        assertThat(Formats.percent(0.00042)).isEqualTo("0.042%");
    }

    @Test
    void countsDecimalsAndProbabilities() {
        assertThat(Formats.count(841.6)).isEqualTo("842");
        assertThat(Formats.decimal(6.04)).isEqualTo("6");
        assertThat(Formats.decimal(12.25)).isEqualTo("12.3");
        assertThat(Formats.probability(3.14e-12)).isEqualTo("3.1e-12");
        assertThat(Formats.probability(0.0423)).isEqualTo("0.042");
        assertThat(Formats.probability(0.0)).isEqualTo("0");
    }
}
