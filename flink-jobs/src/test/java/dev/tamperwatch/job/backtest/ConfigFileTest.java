package dev.tamperwatch.job.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.job.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir Path dir;

    @Test
    void yamlSettingsOverTheDefaults() throws Exception {
        Path file =
                write(
                        "strict.yaml",
                        "window: 30m\n"
                                + "false_alarm_rate: 1e-4\n"
                                + "novelty-threshold: 0.005\n"
                                + "max_out_of_orderness: 2m\n"
                                + "state_ttl: 7d\n");

        PipelineConfig config = ConfigFile.read(file);

        assertThat(config.window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.falseAlarmRate()).isEqualTo(1e-4);
        assertThat(config.noveltyThreshold()).isEqualTo(0.005);
        assertThat(config.maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.stateTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(config.idleness()).isEqualTo(PipelineConfig.defaults().idleness());
    }

    @Test
    void jsonSettings() throws Exception {
        Path file = write("c.json", "{\"window\": \"2h\", \"false_alarm_rate\": 0.001}");

        PipelineConfig config = ConfigFile.read(file);

        assertThat(config.window()).isEqualTo(Duration.ofHours(2));
        assertThat(config.falseAlarmRate()).isEqualTo(0.001);
    }

    @Test
    void unknownSettingIsOnePreciseError() throws Exception {
        Path file = write("c.yaml", "window: 1h\nwindw: 2h\n");

        assertThatThrownBy(() -> ConfigFile.read(file))
                .isInstanceOf(BacktestInputException.class)
                .hasMessageStartingWith(file + ": unknown setting 'windw'; known settings: ")
                .hasMessageContaining("false_alarm_rate")
                .hasMessageContaining("window");
    }

    @Test
    void badValues() throws Exception {
        Path range = write("a.yaml", "false_alarm_rate: 2\n");
        Path duration = write("b.yaml", "window: an hour\n");
        Path type = write("c.yaml", "false_alarm_rate: often\n");
        Path syntax = write("d.yaml", "window: [1h\n");

        assertThatThrownBy(() -> ConfigFile.read(range))
                .hasMessage(
                        range + ": false_alarm_rate: false-alarm rate must lie in (0, 1), was 2.0");
        assertThatThrownBy(() -> ConfigFile.read(duration))
                .hasMessageStartingWith(duration + ": window: 'an hour' is not a duration");
        assertThatThrownBy(() -> ConfigFile.read(type))
                .hasMessage(type + ": false_alarm_rate: 'often' is not a number");
        assertThatThrownBy(() -> ConfigFile.read(syntax))
                .hasMessageStartingWith(syntax + ": not valid YAML at line");
    }

    @Test
    void describesEverySetting() {
        assertThat(ConfigFile.describe(PipelineConfig.defaults()))
                .containsEntry("window", "1h")
                .containsEntry("false_alarm_rate", 1e-5)
                .containsEntry("alert_format", "OCSF");
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
