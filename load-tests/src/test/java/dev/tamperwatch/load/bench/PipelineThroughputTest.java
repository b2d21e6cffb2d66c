package dev.tamperwatch.load.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PipelineThroughputTest {

    @Test
    void runsEveryVariantOverTheSameEventsAndReportsRatiosAndStateSizes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PipelineThroughput harness =
                new PipelineThroughput(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        int status =
                new CommandLine(harness)
                        .execute(
                                "--events", "3000",
                                "--identities", "50",
                                "--agents", "5",
                                "--rounds", "1",
                                "--warm-up-rounds", "0");

        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(report).isZero();
        assertThat(report)
                .contains("generated 3,000 events")
                .contains("| decode |", "| pass-through |", "| detect |")
                .contains("detect / pass-through, per round")
                .contains(
                        "| identity | refusal-rate |",
                        "| agent | tool-call-distribution |",
                        "| delegated | tool-call-distribution |");
        assertThat(report).containsPattern("pass-through .*identity events [0-9,]+");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(PipelineThroughput.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(PipelineThroughput.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    }
}
