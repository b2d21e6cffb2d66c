package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.Tallies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of many agents: false-alarm rates of the shift test and of the three novelty
 * tests on attack-free streams, power against a mix shift, new tools, transitions and targets,
 * poisoning resistance and bounded state. Each agent's state goes through the codec at every window
 * end, as in the streaming operator.
 */
@Tag("statistical")
class ToolCallDistributionStatisticalTest {

    private static final long HOUR = 3_600_000L;
    private static final int STATE_BUDGET_BYTES = 2048;

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

    /**
     * An agent that runs workflows: fixed tool sequences with flat-Dirichlet popularity, each step
     * skipped or retried with probability 3% each. Each tool names no target (30%), one of a closed
     * set of 1 to 6 (50%), or half the time a never-seen one (20%).
     */
    private static final class Workflows {
        final String[] tools;
        final int[][] sequences;
        final Mix popularity;
        final int[] targetKind;
        final Mix[] targets;
        final int runsPerWindow;

        Workflows(SplittableRandom random) {
            int toolCount = 5 + random.nextInt(16);
            tools = IntStream.range(0, toolCount).mapToObj(i -> "tool-" + i).toArray(String[]::new);
            sequences = new int[3 + random.nextInt(28)][];
            double[] weights = new double[sequences.length];
            String[] names = new String[sequences.length];
            for (int w = 0; w < sequences.length; w++) {
                sequences[w] = new int[1 + random.nextInt(6)];
                for (int j = 0; j < sequences[w].length; j++) {
                    double u = random.nextDouble();
                    sequences[w][j] = (int) (toolCount * u * u);
                }
                weights[w] = -Math.log(1 - random.nextDouble());
                names[w] = Integer.toString(w);
            }
            popularity = Mix.of(names, weights);
            targetKind = new int[toolCount];
            targets = new Mix[toolCount];
            for (int t = 0; t < toolCount; t++) {
                double u = random.nextDouble();
                targetKind[t] = u < 0.3 ? 0 : u < 0.8 ? 1 : 2;
                int size = 1 + random.nextInt(6);
                double[] targetWeights = new double[size];
                String[] targetNames = new String[size];
                for (int j = 0; j < size; j++) {
                    targetWeights[j] = -Math.log(1 - random.nextDouble());
                    targetNames[j] = "resource-" + t + "-" + j;
                }
                targets[t] = Mix.of(targetNames, targetWeights);
            }
            runsPerWindow = 2 + random.nextInt(11);
        }

        /** Tool indices of one run. */
        List<Integer> run(SplittableRandom random) {
            int[] sequence = sequences[Integer.parseInt(popularity.draw(random))];
            List<Integer> calls = new ArrayList<>();
            for (int tool : sequence) {
                if (random.nextDouble() < 0.03) {
                    continue;
                }
                calls.add(tool);
                if (random.nextDouble() < 0.03) {
                    calls.add(tool);
                }
            }
            if (calls.isEmpty()) {
                calls.add(sequence[0]);
            }
            return calls;
        }

        String target(int tool, SplittableRandom random) {
            return switch (targetKind[tool]) {
                case 0 -> null;
                case 1 -> targets[tool].draw(random);
                default ->
                        random.nextBoolean()
                                ? "fresh-" + Long.toHexString(random.nextLong())
                                : targets[tool].draw(random);
            };
        }
    }

    /** One agent's detector, state, clock and counters. */
    private static final class Agent {
        final ToolCallDistributionDetector detector;
        final SplittableRandom random;
        ToolCallState state;
        int window;
        int runs;
        long scoredWindows;
        long noveltyScoredWindows;
        long warmCalls;
        long noveltyFindings;
        long shiftFindings;
        long maxStateBytes;
        final long[] noveltyWindowsByKind = new long[3];
        long noveltyWindows;
        private final boolean[] kindsThisWindow = new boolean[3];

        Agent(ToolCallDistributionDetector detector, long seed) {
            this.detector = detector;
            this.random = new SplittableRandom(seed);
            this.state = detector.newState();
        }

        boolean warm() {
            return state.baselineSize() >= detector.config().warmUpCalls();
        }

        /** Plays one window of {@code n} calls drawn from {@code mix}; returns its findings. */
        List<Finding> window(Mix mix, int n) {
            boolean scored = warm();
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                findings.addAll(call(mix.draw(random)));
            }
            return closeWindow(findings, scored);
        }

        /** Plays one window of runs of {@code workflows}, interleaved; returns its findings. */
        List<Finding> window(Workflows workflows) {
            return window(workflows, 1);
        }

        /** As {@link #window(Workflows)}, with the runs of {@code members} agents of the type. */
        List<Finding> window(Workflows workflows, int members) {
            boolean scored = warm();
            List<long[]> schedule = new ArrayList<>();
            List<ToolCall> calls = new ArrayList<>();
            int count = 0;
            for (int m = 0; m < members; m++) {
                count += workflows.runsPerWindow / 2 + random.nextInt(workflows.runsPerWindow + 1);
            }
            for (int r = 0; r < count; r++) {
                String runId = "run-" + runs++;
                long start = (long) (random.nextDouble() * (HOUR - 600_000));
                List<Integer> sequence = workflows.run(random);
                for (int step = 0; step < sequence.size(); step++) {
                    int tool = sequence.get(step);
                    schedule.add(new long[] {start + 30_000L * step, calls.size()});
                    calls.add(
                            new ToolCall(
                                    workflows.tools[tool],
                                    workflows.target(tool, random),
                                    runId + "/" + step,
                                    runId,
                                    step));
                }
            }
            schedule.sort((a, b) -> Long.compare(a[0], b[0]));
            List<Finding> findings = new ArrayList<>();
            for (long[] slot : schedule) {
                findings.addAll(call(calls.get((int) slot[1]), window * HOUR + slot[0]));
            }
            return closeWindow(findings, scored);
        }

        List<Finding> call(String tool) {
            long time = window * HOUR + state.windowTotal();
            return call(new ToolCall(tool, "t", "c-" + time), time);
        }

        List<Finding> call(ToolCall call, long time) {
            if (warm()) {
                warmCalls++;
            }
            List<Finding> findings = detector.onEvent(state, call, time);
            noveltyFindings += findings.size();
            for (Finding finding : findings) {
                for (Measure measure : finding.measures()) {
                    String name = measure.name();
                    kindsThisWindow[
                                    name.startsWith("tool:")
                                            ? 0
                                            : name.startsWith("transition:") ? 1 : 2] =
                            true;
                }
            }
            return findings;
        }

        List<Finding> closeWindow(List<Finding> findings, boolean scored) {
            if (warm() && state.windowTotal() >= detector.config().minWindowCalls()) {
                scoredWindows++;
            }
            if (scored) {
                noveltyScoredWindows++;
                boolean any = false;
                for (int k = 0; k < 3; k++) {
                    noveltyWindowsByKind[k] += kindsThisWindow[k] ? 1 : 0;
                    any |= kindsThisWindow[k];
                }
                noveltyWindows += any ? 1 : 0;
            }
            Arrays.fill(kindsThisWindow, false);
            List<Finding> shift = detector.onTime(state, (window + 1) * HOUR);
            shiftFindings += shift.size();
            findings.addAll(shift);
            byte[] bytes = detector.codec().encode(state);
            maxStateBytes = Math.max(maxStateBytes, bytes.length);
            state = detector.codec().decode(bytes);
            window++;
            return findings;
        }

        /** A copy of the state, as the codec would restore it. */
        ToolCallState snapshot() {
            return detector.codec().decode(detector.codec().encode(state));
        }
    }

    @Test
    void falseAlarmRatesOnAttackFreeStreamsStayWithinTheConfiguredRates() {
        double configured = 1e-3;
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(
                        ToolCallDistributionConfig.defaults().withFalseAlarmRate(configured));
        double noveltyThreshold = detector.config().noveltyThreshold();
        int agents = 300;
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
                                        agent.noveltyScoredWindows,
                                        agent.noveltyWindows,
                                        agent.maxStateBytes
                                    };
                                })
                        .reduce(new long[7], Tallies::sumButMaxLast);
        double shiftRate = (double) totals[1] / totals[0];
        double noveltyPerCall = (double) totals[3] / totals[2];
        double noveltyPerWindow = (double) totals[5] / totals[4];
        System.out.printf(
                "tool-call shift false alarms: %d in %d key-windows = %.2e (configured %.0e);"
                        + " novelty: %d in %d calls = %.2e per call, %d in %d key-windows = %.2e"
                        + " per key-window (threshold %.0e per key-window); max state %d bytes%n",
                totals[1],
                totals[0],
                shiftRate,
                configured,
                totals[3],
                totals[2],
                noveltyPerCall,
                totals[5],
                totals[4],
                noveltyPerWindow,
                noveltyThreshold,
                totals[6]);
        assertThat(shiftRate)
                .as(
                        "shift false alarms per scored key-window, %d agents x %d windows, 3-15"
                                + " tools with flat-Dirichlet shares, 20-100 calls per window;"
                                + " tolerance [0, 2 x %s]",
                        agents, windows, configured)
                .isBetween(0.0, 2 * configured);
        assertThat(noveltyPerWindow)
                .as("key-windows with a novelty finding; the threshold is a rate per key-window")
                .isBetween(0.0, noveltyThreshold);
        assertThat(totals[6]).as("encoded state, bytes").isLessThanOrEqualTo(STATE_BUDGET_BYTES);
    }

    @Test
    void workflowAgentsStayWithinTheNoveltyRatePerKeyWindowAndCatchNewTransitionsAndTargets() {
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults());
        double threshold = detector.config().noveltyThreshold();
        int agents = 150;
        int windows = 400;
        long[] totals =
                IntStream.range(0, agents)
                        .parallel()
                        .mapToObj(
                                a -> {
                                    Agent agent = new Agent(detector, 40_000 + a);
                                    Workflows workflows = new Workflows(agent.random);
                                    for (int w = 0; w < windows; w++) {
                                        agent.window(workflows);
                                    }
                                    long[] power = attack(agent, workflows);
                                    return new long[] {
                                        agent.noveltyScoredWindows,
                                        agent.noveltyWindowsByKind[0],
                                        agent.noveltyWindowsByKind[1],
                                        agent.noveltyWindowsByKind[2],
                                        agent.noveltyWindows,
                                        agent.warmCalls,
                                        agent.noveltyFindings,
                                        power[0],
                                        power[1],
                                        power[2],
                                        power[3],
                                        agent.maxStateBytes
                                    };
                                })
                        .reduce(new long[12], Tallies::sumButMaxLast);
        double keyWindows = totals[0];
        double[] rates = {
            totals[1] / keyWindows,
            totals[2] / keyWindows,
            totals[3] / keyWindows,
            totals[4] / keyWindows
        };
        double transitionPower = (double) totals[8] / totals[7];
        double targetPower = (double) totals[10] / totals[9];
        System.out.printf(
                "workflow agents, %d key-windows: novelty false alarms per key-window tool %.2e,"
                        + " transition %.2e, target %.2e, any %.2e (threshold %.0e each); per"
                        + " call %.2e; power on the next call: unseen transition %d/%d = %.2f,"
                        + " unseen target of a closed-target tool %d/%d = %.2f; max state %d"
                        + " bytes%n",
                totals[0],
                rates[0],
                rates[1],
                rates[2],
                rates[3],
                threshold,
                (double) totals[6] / totals[5],
                totals[8],
                totals[7],
                transitionPower,
                totals[10],
                totals[9],
                targetPower,
                totals[11]);
        for (int k = 0; k < 3; k++) {
            assertThat(rates[k])
                    .as(
                            "novelty kind %d, false alarms per key-window, %d agents x %d"
                                    + " windows of 1-18 runs; tolerance [0, threshold]",
                            k, agents, windows)
                    .isBetween(0.0, threshold);
        }
        assertThat(rates[3]).as("any novelty, union of three tests").isBetween(0.0, 3 * threshold);
        assertThat(targetPower)
                .as("a new target of a tool used with a closed set of targets")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(transitionPower)
                .as(
                        "a new transition between learned tools; agents whose retries and skips"
                                + " fill the transition table lose it by design; at least 0.5")
                .isGreaterThanOrEqualTo(0.5);
        assertThat(totals[11]).as("encoded state, bytes").isLessThanOrEqualTo(STATE_BUDGET_BYTES);
    }

    /**
     * On copies of the trained state: a run from a workflow's first tool to a learned tool it never
     * precedes, and a call of the agent's first closed-target tool to a never-seen target.
     *
     * @return transition attacks, detected, target attacks, detected
     */
    private static long[] attack(Agent agent, Workflows workflows) {
        long[] outcome = new long[4];
        long time = agent.window * HOUR + 60_000;
        Set<Integer> starts = new HashSet<>();
        for (int[] sequence : workflows.sequences) {
            starts.add(sequence[0]);
        }
        search:
        for (int from : starts) {
            for (int to = 0; to < workflows.tools.length; to++) {
                ToolCallState state = agent.snapshot();
                String fromName = workflows.tools[from];
                String toName = workflows.tools[to];
                int transition =
                        ToolCallState.transitionFingerprint(
                                Fingerprints.of32(fromName), Fingerprints.of32(toName));
                if (!learned(state, fromName)
                        || !learned(state, toName)
                        || state.transitions.indexOf(transition) >= 0
                        || state.transitions.indexOf(
                                        ToolCallState.transitionFingerprint(
                                                RunTable.RUN_START, Fingerprints.of32(fromName)))
                                < 0) {
                    continue;
                }
                agent.detector.onEvent(state, new ToolCall(fromName, null, "a", "attack", 0), time);
                outcome[0]++;
                outcome[1] +=
                        agent.detector
                                        .onEvent(
                                                state,
                                                new ToolCall(toName, null, "b", "attack", 1),
                                                time + 1)
                                        .isEmpty()
                                ? 0
                                : 1;
                break search;
            }
        }
        for (int tool = 0; tool < workflows.tools.length; tool++) {
            ToolCallState state = agent.snapshot();
            if (workflows.targetKind[tool] == 1 && learned(state, workflows.tools[tool])) {
                outcome[2]++;
                ToolCall call = new ToolCall(workflows.tools[tool], "attacker.example", "x");
                outcome[3] += agent.detector.onEvent(state, call, time).isEmpty() ? 0 : 1;
                break;
            }
        }
        return outcome;
    }

    private static boolean learned(ToolCallState state, String tool) {
        int index = state.indexOf(tool);
        return index >= 0 && !state.tool(index).unseen();
    }

    /**
     * New agents seeded from their peer group: a state fed the calls of {@value #MEMBERS} agents of
     * their type as one key, seeded with {@code members} = {@value #MEMBERS}.
     *
     * <p>Tool mixes (300 types with flat-Dirichlet shares over 3-15 tools, members sharing their
     * type's mix, 20-100 calls per window, peers fed 60 windows; two new agents per type, 40
     * windows each, shift test at 1e-3): measured 24 shift false alarms in 24,000 scored
     * key-windows, 1.0e-3 (tolerance [0, 2 x 1e-3]), no novelty findings; a first window of 50
     * calls to the type's least used tool is caught in that window by 300/300 seeded agents and
     * 0/300 unseeded ones, still warming up.
     *
     * <p>Workflows (150 types, peers fed 100 windows, two new agents each, 40 windows of 1-18
     * runs): novelty false alarms per key-window tool 0, transition 1.4e-3, target 1.7e-4, each
     * within the 1e-2 threshold; a never-seen tool in the second window is flagged at that call for
     * 148/150 seeded agents (tolerance at least 95%), for 0/150 unseeded ones.
     */
    @Test
    void newAgentsSeededFromTheirPeersStayWithinTheRatesAndCatchEarlyAttacksAtOnce() {
        double configured = 1e-3;
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(
                        ToolCallDistributionConfig.defaults().withFalseAlarmRate(configured));
        int types = 300;
        long[] mixes =
                IntStream.range(0, types)
                        .parallel()
                        .mapToObj(t -> seededMixAgents(detector, t))
                        .reduce(new long[6], Tallies::sum);
        double shiftRate = (double) mixes[1] / mixes[0];
        System.out.printf(
                "seeded new agents, tool mixes: shift false alarms %d in %d key-windows = %.2e"
                        + " (configured %.0e), novelty findings %d; early shift to the least used"
                        + " tool caught in its window: seeded %d/%d, unseeded %d/%d%n",
                mixes[1],
                mixes[0],
                shiftRate,
                configured,
                mixes[2],
                mixes[3],
                types,
                mixes[4],
                types);
        assertThat(shiftRate)
                .as(
                        "shift false alarms per scored key-window of seeded new agents, first 40"
                                + " windows; tolerance [0, 2 x %s]",
                        configured)
                .isBetween(0.0, 2 * configured);
        assertThat(mixes[3]).as("seeded agents catching a first-window shift").isEqualTo(types);
        assertThat(mixes[4]).as("unseeded agents are warming up").isZero();

        int workflowTypes = 150;
        long[] flows =
                IntStream.range(0, workflowTypes)
                        .parallel()
                        .mapToObj(t -> seededWorkflowAgents(detector, t))
                        .reduce(new long[6], Tallies::sum);
        double threshold = detector.config().noveltyThreshold();
        double[] rates = {
            (double) flows[1] / flows[0], (double) flows[2] / flows[0], (double) flows[3] / flows[0]
        };
        System.out.printf(
                "seeded new agents, workflows: %d key-windows, novelty false alarms per key-window"
                        + " tool %.2e, transition %.2e, target %.2e (threshold %.0e each); a"
                        + " never-seen tool in window 2 flagged at its call: seeded %d/%d,"
                        + " unseeded %d/%d%n",
                flows[0],
                rates[0],
                rates[1],
                rates[2],
                threshold,
                flows[4],
                workflowTypes,
                flows[5],
                workflowTypes);
        for (int k = 0; k < 3; k++) {
            assertThat(rates[k])
                    .as(
                            "novelty kind %d per key-window of seeded new agents; tolerance [0, %s]",
                            k, threshold)
                    .isBetween(0.0, threshold);
        }
        assertThat(flows[4])
                .as("seeded agents flagging a never-seen tool; peers with rare tools may not")
                .isGreaterThanOrEqualTo(Math.round(0.95 * workflowTypes));
        assertThat(flows[5]).as("unseeded agents are warming up").isZero();
    }

    private static final int MEMBERS = 4;

    /** Peers of one mix type; scored windows, shift and novelty findings of two seeded agents. */
    private static long[] seededMixAgents(ToolCallDistributionDetector detector, int type) {
        SplittableRandom typeRandom = new SplittableRandom(80_000 + type);
        Mix mix = Mix.randomFlatDirichlet(typeRandom);
        Agent group = new Agent(detector, 81_000 + type);
        for (int w = 0; w < 60; w++) {
            int calls = 0;
            for (int m = 0; m < MEMBERS; m++) {
                calls += 20 + group.random.nextInt(81);
            }
            group.window(mix, calls);
        }
        ToolCallState peers = group.snapshot();
        long[] tally = new long[6];
        for (int k = 0; k < 2; k++) {
            Agent agent = new Agent(detector, 82_000 + 2L * type + k);
            detector.seedFromPeers(agent.state, peers, MEMBERS);
            for (int w = 0; w < 40; w++) {
                agent.window(mix, 20 + agent.random.nextInt(81));
            }
            tally[0] += agent.scoredWindows;
            tally[1] += agent.shiftFindings;
            tally[2] += agent.noveltyFindings;
        }
        String rarest = mix.tools()[0];
        double least = mix.cumulative()[0];
        for (int i = 1; i < mix.tools().length; i++) {
            double share = mix.cumulative()[i] - mix.cumulative()[i - 1];
            if (share < least) {
                least = share;
                rarest = mix.tools()[i];
            }
        }
        Mix attack = Mix.of(new String[] {rarest}, new double[] {1});
        Agent seeded = new Agent(detector, 83_000 + type);
        detector.seedFromPeers(seeded.state, peers, MEMBERS);
        Agent unseeded = new Agent(detector, 83_000 + type);
        tally[3] = seeded.window(attack, 50).isEmpty() ? 0 : 1;
        tally[4] = unseeded.window(attack, 50).isEmpty() ? 0 : 1;
        return tally;
    }

    /**
     * Peers of one workflow type; key-windows and novelty windows by kind of two seeded agents, and
     * whether a never-seen tool in the second window is flagged at its call, seeded and unseeded.
     */
    private static long[] seededWorkflowAgents(ToolCallDistributionDetector detector, int type) {
        Workflows workflows = new Workflows(new SplittableRandom(84_000 + type));
        Agent group = new Agent(detector, 85_000 + type);
        for (int w = 0; w < 100; w++) {
            group.window(workflows, MEMBERS);
        }
        ToolCallState peers = group.snapshot();
        long[] tally = new long[6];
        for (int k = 0; k < 2; k++) {
            Agent agent = new Agent(detector, 86_000 + 2L * type + k);
            detector.seedFromPeers(agent.state, peers, MEMBERS);
            for (int w = 0; w < 40; w++) {
                agent.window(workflows);
            }
            tally[0] += agent.noveltyScoredWindows;
            for (int kind = 0; kind < 3; kind++) {
                tally[1 + kind] += agent.noveltyWindowsByKind[kind];
            }
        }
        for (int seed = 0; seed < 2; seed++) {
            Agent agent = new Agent(detector, 87_000 + type);
            if (seed == 0) {
                detector.seedFromPeers(agent.state, peers, MEMBERS);
            }
            agent.window(workflows);
            ToolCall novel = new ToolCall("exfiltrate.upload", "s3://drop", "x", "run-x", 0);
            boolean flagged = !agent.call(novel, agent.window * HOUR).isEmpty();
            agent.window(workflows);
            tally[4 + seed] = flagged ? 1 : 0;
        }
        return tally;
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
        int agents = 300;
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
                                    for (int w = 0; w < 300; w++) {
                                        agent.window(mix, 10);
                                    }
                                    boolean allFlagged = true;
                                    for (String tool : List.of("exfiltrate_data", "shell_exec")) {
                                        for (int i = 0; i < 4; i++) {
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
                .as(
                        "agents with 3,000 calls of history, 10 per window, whose two new tools"
                                + " were each flagged on the first call only")
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
        for (int w = 0; w < 300; w++) {
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
            agent.closeWindow(new ArrayList<>(), true);
            assertThat(agent.state.indexOf("wire_transfer")).as("never learned").isEqualTo(-1);
        }
    }

    @Test
    void sprayingHundredThousandToolNamesKeepsStateBounded() {
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults());
        Mix normal = Mix.uniform(10);
        Agent agent = new Agent(detector, 99_000);
        for (int w = 0; w < 300; w++) {
            agent.window(normal, 10);
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
            shiftWindows += agent.closeWindow(new ArrayList<>(), true).isEmpty() ? 0 : 1;
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
        assertThat(agent.maxStateBytes)
                .as("encoded state at window ends while spraying, bytes")
                .isLessThanOrEqualTo(STATE_BUDGET_BYTES);
        assertThat(maxOpenWindowBytes)
                .as(
                        "open window while spraying: 64 tools with their window counts; bounded by"
                                + " the tool table, twice the normal budget at most")
                .isLessThanOrEqualTo(2 * STATE_BUDGET_BYTES);
        assertThat(maxNoveltyPerWindow)
                .as("novelty findings stop once discoveries push the estimate past 1%%")
                .isBetween(1L, 5L);
        assertThat(shiftWindows)
                .as("spray windows flagged by the shift test")
                .isEqualTo(sprayWindows);
    }

    @Test
    void sprayingTargetsAndTransitionsKeepsStateBounded() {
        ToolCallDistributionDetector detector =
                new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults());
        Agent agent = new Agent(detector, 98_000);
        Workflows workflows = new Workflows(new SplittableRandom(5));
        for (int w = 0; w < 300; w++) {
            agent.window(workflows);
        }
        long normalBytes = agent.maxStateBytes;
        long maxBytes = 0;
        long maxFindingsPerWindow = 0;
        int sprayWindows = 10;
        int perWindow = 10_000;
        for (int w = 0; w < sprayWindows; w++) {
            long before = agent.noveltyFindings;
            for (int i = 0; i < perWindow; i++) {
                String tool = workflows.tools[agent.random.nextInt(workflows.tools.length)];
                String target = "victim-" + (w * perWindow + i) + "@attacker.example";
                agent.call(
                        new ToolCall(tool, target, "s" + i, "spray-" + w + "-" + i / 20, i % 20),
                        agent.window * HOUR + i);
                if (i % 997 == 0) {
                    maxBytes = Math.max(maxBytes, detector.codec().encode(agent.state).length);
                }
            }
            maxFindingsPerWindow = Math.max(maxFindingsPerWindow, agent.noveltyFindings - before);
            agent.closeWindow(new ArrayList<>(), true);
            assertThat(agent.state.trackedTargets()).isLessThanOrEqualTo(128);
            assertThat(agent.state.trackedTransitions()).isLessThanOrEqualTo(128);
            assertThat(agent.state.runs.runs).hasSizeLessThanOrEqualTo(8);
            for (ToolCallState.Tool tool : agent.state.tools) {
                assertThat(tool.targets.size()).isLessThanOrEqualTo(8);
            }
        }
        maxBytes = Math.max(maxBytes, agent.maxStateBytes);
        System.out.printf(
                "target and transition spray of %d calls over %d tools: state %d bytes before,"
                        + " at most %d while spraying; max novelty findings per window %d%n",
                sprayWindows * perWindow,
                workflows.tools.length,
                normalBytes,
                maxBytes,
                maxFindingsPerWindow);
        assertThat(normalBytes).as("normal use, bytes").isLessThanOrEqualTo(STATE_BUDGET_BYTES);
        assertThat(maxBytes)
                .as("while spraying: 128 targets of 4 bytes and 128 transitions of 5 at most")
                .isLessThanOrEqualTo(normalBytes + 128 * 4 + 128 * 5);
        assertThat(maxFindingsPerWindow)
                .as("discoveries push the estimates past the threshold within a few calls")
                .isLessThanOrEqualTo(10);
    }
}
