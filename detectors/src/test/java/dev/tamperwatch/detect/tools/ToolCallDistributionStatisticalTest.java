package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.detect.Finding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of many agents: false-alarm rates of the shift test and of novelty on
 * attack-free streams, power against a mix shift and new tools, poisoning resistance and bounded
 * state. Each agent's state goes through the codec at every window end, as in the streaming
 * operator.
 */
@Tag("statistical")
class ToolCallDistributionStatisticalTest {

    private static final long HOUR = 3_600_000L;

    /** A categorical tool mix over named tools. */
    private record Mix(String[] tools, double[] cumulative) {

        static Mix of(String[] tools, double[] weights) {
            double[] cumulative = new double[weights.length];
            double total = Arrays.stream(weights).sum();
            double running = 0;
            for (int i = 0; i < weights.length; i++) {
                running += weights[i] / total;
                cumulative[i] = running;
            }
            return new Mix(tools, cumulative);
        }

        static Mix uniform(int size) {
            double[] weights = new double[size];
            Arrays.fill(weights, 1.0);
            return of(names(size), weights);
        }

        /** Probabilities drawn from a flat Dirichlet over 3 to 15 tools. */
        static Mix randomFlatDirichlet(SplittableRandom random) {
            int size = 3 + random.nextInt(13);
            double[] weights = new double[size];
            for (int i = 0; i < size; i++) {
                weights[i] = -Math.log(1 - random.nextDouble());
            }
            return of(names(size), weights);
        }

        String draw(SplittableRandom random) {
            double u = random.nextDouble();
            for (int i = 0; i < cumulative.length - 1; i++) {
                if (u < cumulative[i]) {
                    return tools[i];
                }
            }
            return tools[tools.length - 1];
        }

        private static String[] names(int size) {
            return IntStream.range(0, size)
                    .mapToObj(i -> "mcp.workspace-" + i + ".action")
                    .toArray(String[]::new);
        }
    }

    /** One agent's detector, state, clock and counters. */
    private static final class Agent {
        final ToolCallDistributionDetector detector;
        final SplittableRandom random;
        ToolCallState state;
        int window;
        long scoredWindows;
        long warmCalls;
        long noveltyFindings;
        long shiftFindings;
        long maxStateBytes;

        Agent(ToolCallDistributionDetector detector, long seed) {
            this.detector = detector;
            this.random = new SplittableRandom(seed);
            this.state = detector.newState();
        }

        /** Plays one window of {@code n} calls drawn from {@code mix}; returns its findings. */
        List<Finding> window(Mix mix, int n) {
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                findings.addAll(call(mix.draw(random)));
            }
            return closeWindow(findings);
        }

        List<Finding> call(String tool) {
            if (state.baselineSize() >= detector.config().warmUpCalls()) {
                warmCalls++;
            }
            long time = window * HOUR + state.windowTotal();
            List<Finding> findings =
                    detector.onEvent(state, new ToolCall(tool, "t", "c-" + time), time);
            noveltyFindings += findings.size();
            return findings;
        }

        List<Finding> closeWindow(List<Finding> findings) {
            if (state.baselineSize() >= detector.config().warmUpCalls()
                    && state.windowTotal() >= detector.config().minWindowCalls()) {
                scoredWindows++;
            }
            List<Finding> shift = detector.onTime(state, (window + 1) * HOUR);
            shiftFindings += shift.size();
            findings.addAll(shift);
            byte[] bytes = detector.codec().encode(state);
            maxStateBytes = Math.max(maxStateBytes, bytes.length);
            state = detector.codec().decode(bytes);
            window++;
            return findings;
        }
    }

    @Test
    void falseAlarmRatesOnAttackFreeStreamsStayWithinTwiceTheConfiguredRates() {
        double configured = 1e-3;
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(
                        ToolCallDistributionConfig.defaults().withFalseAlarmRate(configured));
        double noveltyThreshold = detector.config().noveltyThreshold();
        int agents = 1000;
        int windows = 150;
        long[] totals =
                IntStream.range(0, agents)
                        .parallel()
                        .mapToObj(
                                a -> {
                                    Agent agent = new Agent(detector, 70_000 + a);
                                    Mix mix = Mix.randomFlatDirichlet(agent.random);
                                    for (int w = 0; w < windows; w++) {
                                        agent.window(mix, 20 + agent.random.nextInt(81));
                                    }
                                    return new long[] {
                                        agent.scoredWindows,
                                        agent.shiftFindings,
                                        agent.warmCalls,
                                        agent.noveltyFindings,
                                        agent.maxStateBytes
                                    };
                                })
                        .reduce(
                                new long[5],
                                (x, y) ->
                                        new long[] {
                                            x[0] + y[0],
                                            x[1] + y[1],
                                            x[2] + y[2],
                                            x[3] + y[3],
                                            Math.max(x[4], y[4])
                                        });
        double shiftRate = (double) totals[1] / totals[0];
        double noveltyPerCall = (double) totals[3] / totals[2];
        double noveltyPerWindow = (double) totals[3] / totals[0];
        System.out.printf(
                "tool-call shift false alarms: %d in %d key-windows = %.2e (configured %.0e);"
                        + " novelty: %d in %d calls = %.2e per call (threshold %.0e), %.2e per"
                        + " key-window; max state %d bytes%n",
                totals[1],
                totals[0],
                shiftRate,
                configured,
                totals[3],
                totals[2],
                noveltyPerCall,
                noveltyThreshold,
                noveltyPerWindow,
                totals[4]);
        assertThat(shiftRate)
                .as(
                        "shift false alarms per scored key-window, %d agents x %d windows, 3-15"
                                + " tools with flat-Dirichlet shares, 20-100 calls per window;"
                                + " tolerance [0, 2 x %s]",
                        agents, windows, configured)
                .isBetween(0.0, 2 * configured);
        assertThat(noveltyPerCall)
                .as(
                        "novelty findings per warmed-up call; the estimate is a probability per"
                                + " call; tolerance [0, 2 x %s]",
                        noveltyThreshold)
                .isBetween(0.0, 2 * noveltyThreshold);
        assertThat(totals[4]).as("encoded state, bytes").isLessThanOrEqualTo(2048);
    }

    /** Fractions of agents detected in the first and within two windows after the shift. */
    private static double[] shiftPower(int callsPerWindow, long seed) {
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults());
        Mix before = Mix.uniform(10);
        double[] shifted = new double[10];
        Arrays.fill(shifted, 0.5 / 9);
        shifted[0] = 0.5;
        Mix after = Mix.of(before.tools(), shifted);
        int agents = 1000;
        long[] detected =
                IntStream.range(0, agents)
                        .parallel()
                        .mapToObj(
                                a -> {
                                    Agent agent = new Agent(detector, seed + a);
                                    for (int w = 0; w < 30; w++) {
                                        agent.window(before, callsPerWindow);
                                    }
                                    boolean first = !agent.window(after, callsPerWindow).isEmpty();
                                    boolean second = !agent.window(after, callsPerWindow).isEmpty();
                                    return new long[] {first ? 1 : 0, first || second ? 1 : 0};
                                })
                        .reduce(new long[2], (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
        return new double[] {(double) detected[0] / agents, (double) detected[1] / agents};
    }

    @Test
    void oneToolRisingFromTenToFiftyPercentIsDetectedWithinTwoWindows() {
        double[] hundred = shiftPower(100, 80_000);
        double[] fifty = shiftPower(50, 85_000);
        System.out.printf(
                "tool mix shift 10%%->50%% of 10 tools at rate 1e-5: 100 calls/window first"
                        + " window %.4f, within two %.4f; 50 calls/window first %.4f, within two"
                        + " %.4f%n",
                hundred[0], hundred[1], fifty[0], fifty[1]);
        assertThat(hundred[1])
                .as("100 calls per window, power within two windows; at least 0.95")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(fifty[1])
                .as(
                        "50 calls per window, power within two windows; the omnibus test"
                                + " spreads 9 degrees of freedom; at least 0.90")
                .isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void neverSeenToolsRaiseAFindingOnTheirFirstCall() {
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults());
        Mix mix = Mix.uniform(10);
        int agents = 200;
        long flaggedOnFirstCall =
                IntStream.range(0, agents)
                        .parallel()
                        .filter(
                                a -> {
                                    Agent agent = new Agent(detector, 90_000 + a);
                                    for (int w = 0; w < 30; w++) {
                                        agent.window(mix, 50);
                                    }
                                    boolean allFlagged = true;
                                    for (String tool : List.of("exfiltrate_data", "shell_exec")) {
                                        for (int i = 0; i < 10; i++) {
                                            agent.call(mix.draw(agent.random));
                                        }
                                        String id =
                                                "c-"
                                                        + (agent.window * HOUR
                                                                + agent.state.windowTotal());
                                        List<Finding> findings = agent.call(tool);
                                        allFlagged &=
                                                findings.size() == 1
                                                        && findings.get(0)
                                                                .relatedEventIds()
                                                                .equals(List.of(id))
                                                        && agent.call(tool).isEmpty();
                                    }
                                    return allFlagged;
                                })
                        .count();
        assertThat(flaggedOnFirstCall)
                .as("agents whose two new tools were each flagged on the first call only")
                .isEqualTo(agents);
    }

    @Test
    void anomalousWindowsAreNotLearnedSoARepeatedAttackIsStillDetected() {
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults());
        Mix normal = Mix.uniform(10);
        double[] attackWeights = new double[10];
        Arrays.fill(attackWeights, 0.4 / 9);
        attackWeights[3] = 0.6;
        Mix attack = Mix.of(normal.tools(), attackWeights);
        Agent agent = new Agent(detector, 95_000);
        for (int w = 0; w < 30; w++) {
            agent.window(normal, 50);
        }
        float learned = agent.state.tool(agent.state.indexOf(normal.tools()[3])).baseline;
        for (int repeat = 0; repeat < 3; repeat++) {
            assertThat(agent.window(attack, 50)).as("attack window %d", repeat).isNotEmpty();
            assertThat(agent.state.tool(agent.state.indexOf(normal.tools()[3])).baseline)
                    .isEqualTo(learned);
        }
        for (int repeat = 0; repeat < 2; repeat++) {
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < 45; i++) {
                findings.addAll(agent.call(normal.draw(agent.random)));
            }
            for (int i = 0; i < 5; i++) {
                findings.addAll(agent.call("wire_transfer"));
            }
            assertThat(findings).as("novel tool in window %d", repeat).hasSize(1);
            agent.closeWindow(new ArrayList<>());
            assertThat(agent.state.indexOf("wire_transfer")).as("never learned").isEqualTo(-1);
        }
    }

    @Test
    void sprayingHundredThousandToolNamesKeepsStateSmall() {
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults());
        Mix normal = Mix.uniform(10);
        Agent agent = new Agent(detector, 99_000);
        for (int w = 0; w < 30; w++) {
            agent.window(normal, 50);
        }
        long maxOpenWindowBytes = 0;
        long maxNoveltyPerWindow = 0;
        int sprayWindows = 10;
        int perWindow = 10_000;
        long shiftWindows = 0;
        for (int w = 0; w < sprayWindows; w++) {
            long noveltyBefore = agent.noveltyFindings;
            for (int i = 0; i < perWindow; i++) {
                agent.call(String.format("spray-%06d", w * perWindow + i));
                if (i % 997 == 0) {
                    maxOpenWindowBytes =
                            Math.max(
                                    maxOpenWindowBytes,
                                    detector.codec().encode(agent.state).length);
                }
            }
            maxNoveltyPerWindow =
                    Math.max(maxNoveltyPerWindow, agent.noveltyFindings - noveltyBefore);
            shiftWindows += agent.closeWindow(new ArrayList<>()).isEmpty() ? 0 : 1;
            assertThat(agent.state.trackedTools()).isLessThanOrEqualTo(64);
        }
        System.out.printf(
                "tool spray of %d names: max state %d bytes (open window %d), max novelty"
                        + " findings per window %d, shift windows %d of %d%n",
                sprayWindows * perWindow,
                agent.maxStateBytes,
                maxOpenWindowBytes,
                maxNoveltyPerWindow,
                shiftWindows,
                sprayWindows);
        assertThat(Math.max(agent.maxStateBytes, maxOpenWindowBytes))
                .as("encoded state while spraying, bytes")
                .isLessThan(2048);
        assertThat(maxNoveltyPerWindow)
                .as("novelty findings stop once discoveries push the estimate past 1%%")
                .isLessThanOrEqualTo(20);
        assertThat(shiftWindows)
                .as("spray windows flagged by the shift test")
                .isEqualTo(sprayWindows);
    }
}
