package dev.tamperwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class DetectJobCommandLineTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--window|banana|'banana' is not a duration; write e.g. 250ms, 60s, 5m, 1h, 2d or PT1H",
                "--false-alarm-rate|2|false-alarm rate must lie in (0, 1), was 2.0",
                "--window|0s|window must be positive, was PT0S",
                "--delivery|SOMETIMES|Invalid value for option '--delivery'",
                "--no-such-option|x|Unknown options: '--no-such-option', 'x'"
            })
    void badArgumentsGiveOnePreciseMessageAndExitStatus2(
            String option, String value, String message) {
        StringWriter err = new StringWriter();
        CommandLine cli = DetectJob.commandLine();
        cli.setErr(new PrintWriter(err));

        int status = cli.execute(option, value);

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }

    @Test
    void optionsBecomeThePipelineConfiguration() {
        CommandLine cli = DetectJob.commandLine();
        cli.parseArgs("--window", "15m", "--false-alarm-rate", "1e-4", "--alert-format", "ecs");
        DetectJob job = cli.getCommand();

        PipelineConfig config = job.pipelineConfig();

        assertThat(config.window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.falseAlarmRate()).isEqualTo(1e-4);
        assertThat(config.alertFormat().name()).isEqualTo("ECS");
        assertThat(config.refusalRate().window()).isEqualTo(Duration.ofMinutes(15));
    }
}
