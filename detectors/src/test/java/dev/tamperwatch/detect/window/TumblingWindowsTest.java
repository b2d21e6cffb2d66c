package dev.tamperwatch.detect.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TumblingWindowsTest {

    private final TumblingWindows hourly = TumblingWindows.of(Duration.ofHours(1));

    @Test
    void windowsAlignToEpochMultiples() {
        assertThat(hourly.startOf(1_780_000_016_778L)).isEqualTo(1_779_998_400_000L);
        assertThat(hourly.startOf(1_779_998_400_000L)).isEqualTo(1_779_998_400_000L);
        assertThat(hourly.endOf(1_779_998_400_000L)).isEqualTo(1_780_002_000_000L);
        assertThat(hourly.startOf(-1)).isEqualTo(-3_600_000L);
    }

    @Test
    void lateEventsAreMovedToTheEarliestAllowedWindow() {
        assertThat(hourly.place(0, 7_200_000)).isEqualTo(7_200_000);
        assertThat(hourly.place(10_800_001, 7_200_000)).isEqualTo(10_800_000);
    }

    @Test
    void extremeTimestampsDoNotOverflow() {
        long lowest = hourly.startOf(Long.MIN_VALUE);
        long highest = hourly.startOf(Long.MAX_VALUE);
        assertThat(lowest).isNegative().isLessThanOrEqualTo(-(1L << 62));
        assertThat(highest).isPositive();
        assertThat(hourly.endOf(highest)).isGreaterThan(highest);
        assertThat(hourly.endOf(lowest)).isGreaterThan(lowest);
    }

    @Test
    void labelsUseTheLargestWholeUnit() {
        assertThat(hourly.label()).isEqualTo("1h");
        assertThat(TumblingWindows.of(Duration.ofMinutes(15)).label()).isEqualTo("15min");
        assertThat(TumblingWindows.of(Duration.ofDays(1)).label()).isEqualTo("1d");
        assertThat(TumblingWindows.of(Duration.ofSeconds(90)).label()).isEqualTo("90s");
        assertThat(new TumblingWindows(1500).label()).isEqualTo("1500ms");
    }

    @Test
    void rejectsNonPositiveSize() {
        assertThatThrownBy(() -> new TumblingWindows(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
