package dev.tamperwatch.load.agentdojo;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.tools.ToolCall;
import dev.tamperwatch.detect.tools.ToolCallDistributionConfig;
import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import dev.tamperwatch.detect.tools.ToolCallState;
import dev.tamperwatch.load.agentdojo.AgentDojoData.Call;
import dev.tamperwatch.load.agentdojo.AgentDojoData.InjectionTask;
import dev.tamperwatch.load.agentdojo.AgentDojoData.UserTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Replays AgentDojo through {@link ToolCallDistributionDetector}, one agent per suite.
 *
 * <p><b>Benign traffic.</b> Each agent serves sessions of its suite's user tasks at a Poisson rate
 * per one-hour window, tasks drawn by a popularity that varies between agents (weights from a Gamma
 * distribution). A session is one run: the task's ground-truth calls with their targets, at steps
 * 0, 1, …, 20 s apart, starting anywhere in the window, so sessions overlap. Seeded variation:
 * after each call the agent makes an exploratory call to one of the suite's read-only tools, with
 * no target, with probability {@code exploreProbability}; each read-only call is retried once with
 * probability {@code retryProbability}; and a background session is abandoned after any call with
 * probability {@code abandonProbability}.
 *
 * <p><b>Protocol.</b> Per suite and seed, the agent first learns {@code historyWindows} windows.
 * Then, each on its own copy of that state and inside a window of ordinary background traffic:
 *
 * <ul>
 *   <li>{@code benignTestSessions} benign test sessions, tasks drawn by popularity; a false alarm
 *       is any finding on one of the session's calls;
 *   <li>every (user task, injection task) pair of the suite: the user task's calls up to and
 *       including the one whose output carries the injection, then the attacker's calls, then the
 *       rest of the user task, all in the same run; detected when a finding names a call after the
 *       hijack point; the delay is that call's distance in steps from the hijack point (1 = the
 *       first attacker call).
 * </ul>
 *
 * Finally the original agent carries on for {@code afterWindows} more windows of benign traffic,
 * which measures false alarms per key-window (any finding, shift test included) and per call.
 *
 * @see AgentDojoData for how calls and targets are derived
 */
public final class AgentDojoEvaluation {

    private static final long HOUR = 3_600_000L;
    private static final long STEP_MILLIS = 20_000L;
    private static final long LATEST_START = HOUR - 15 * 60_000L;
    private static final long T0 = 1_780_000_000_000L / HOUR * HOUR;

    private AgentDojoEvaluation() {}

    /**
     * How the evaluation is run.
     *
     * @param seeds independent agent histories per suite
     * @param historyWindows windows the agent learns before it is tested
     * @param afterWindows windows of benign traffic after the tests, for false alarms per window
     * @param sessionsPerWindow mean benign sessions per window (Poisson)
     * @param benignTestSessions benign test sessions per suite and seed
     * @param exploreProbability chance that a call is followed by an exploratory read-only call
     * @param retryProbability chance that a read-only call is retried once
     * @param abandonProbability chance that a background session stops after a call
     * @param popularityShape shape of the Gamma weights of task popularity; larger is more even
     * @param detector the detector's settings
     */
    public record Settings(
            int seeds,
            int historyWindows,
            int afterWindows,
            double sessionsPerWindow,
            int benignTestSessions,
            double exploreProbability,
            double retryProbability,
            double abandonProbability,
            int popularityShape,
            ToolCallDistributionConfig detector) {

        /**
         * 5 seeds, 300 windows of history (12.5 days), 200 after, 6 sessions per window, 300 benign
         * test sessions, 5% exploratory calls, 5% retries, 3% abandons, popularity shape 2, default
         * detector.
         */
        public static Settings defaults() {
            return new Settings(
                    5,
                    300,
                    200,
                    6,
                    300,
                    0.05,
                    0.05,
                    0.03,
                    2,
                    ToolCallDistributionConfig.defaults());
        }

        public Settings withHistoryWindows(int windows) {
            return new Settings(
                    seeds,
                    windows,
                    afterWindows,
                    sessionsPerWindow,
                    benignTestSessions,
                    exploreProbability,
                    retryProbability,
                    abandonProbability,
                    popularityShape,
                    detector);
        }

        public Settings withSeeds(int count) {
            return new Settings(
                    count,
                    historyWindows,
                    afterWindows,
                    sessionsPerWindow,
                    benignTestSessions,
                    exploreProbability,
                    retryProbability,
                    abandonProbability,
                    popularityShape,
                    detector);
        }

        public Settings withDetector(ToolCallDistributionConfig config) {
            return new Settings(
                    seeds,
                    historyWindows,
                    afterWindows,
                    sessionsPerWindow,
                    benignTestSessions,
                    exploreProbability,
                    retryProbability,
                    abandonProbability,
                    popularityShape,
                    config);
        }

        public Settings withExploreProbability(double probability) {
            return new Settings(
                    seeds,
                    historyWindows,
                    afterWindows,
                    sessionsPerWindow,
                    benignTestSessions,
                    probability,
                    retryProbability,
                    abandonProbability,
                    popularityShape,
                    detector);
        }
    }

    /**
     * One hijacked session.
     *
     * @param newToolForAgent whether the attacker calls a tool none of the suite's user tasks calls
     * @param newToolForTask whether the attacker calls a tool this user task does not call
     * @param delay steps from the hijack point to the first flagged call, -1 when not detected
     * @param firstKinds kinds of novelty ({@code tool}, {@code transition}, {@code target}) of the
     *     first finding after the hijack point, empty when not detected
     * @param alarmBeforeHijack whether a call before the hijack point raised a finding
     */
    public record Attack(
            String suite,
            String userTask,
            String injectionTask,
            String attackType,
            int seed,
            boolean newToolForAgent,
            boolean newToolForTask,
            int delay,
            Set<String> firstKinds,
            boolean alarmBeforeHijack) {

        public boolean detected() {
            return delay >= 0;
        }
    }

    /**
     * Benign outcomes of one suite over all seeds.
     *
     * @param testSessions benign test sessions played
     * @param alarmedSessions those with a finding on one of their calls
     * @param keyWindows windows of the benign continuation
     * @param alarmedKeyWindows those with any finding
     * @param shiftAlarmedKeyWindows those with a finding of the shift test
     * @param calls calls of the benign continuation
     * @param noveltyFindings findings raised on those calls
     * @param maxStateBytes largest encoded state seen at a window end
     */
    public record Benign(
            String suite,
            long testSessions,
            long alarmedSessions,
            long keyWindows,
            long alarmedKeyWindows,
            long shiftAlarmedKeyWindows,
            long calls,
            long noveltyFindings,
            long maxStateBytes) {

        Benign plus(Benign other) {
            return new Benign(
                    suite,
                    testSessions + other.testSessions,
                    alarmedSessions + other.alarmedSessions,
                    keyWindows + other.keyWindows,
                    alarmedKeyWindows + other.alarmedKeyWindows,
                    shiftAlarmedKeyWindows + other.shiftAlarmedKeyWindows,
                    calls + other.calls,
                    noveltyFindings + other.noveltyFindings,
                    Math.max(maxStateBytes, other.maxStateBytes));
        }
    }

    /** Everything measured. */
    public record Result(Settings settings, List<Attack> attacks, Map<String, Benign> benign) {}

    /** Runs the evaluation over every suite and seed, in parallel. */
    public static Result run(AgentDojoData data, Settings settings) {
        List<String> suites = data.suites();
        List<Outcome> outcomes =
                IntStream.range(0, suites.size() * settings.seeds())
                        .parallel()
                        .mapToObj(
                                i ->
                                        new AgentRun(
                                                        data,
                                                        suites.get(i / settings.seeds()),
                                                        i % settings.seeds(),
                                                        settings)
                                                .play())
                        .toList();
        List<Attack> attacks = new ArrayList<>();
        Map<String, Benign> benign = new LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            attacks.addAll(outcome.attacks());
            benign.merge(outcome.benign().suite(), outcome.benign(), Benign::plus);
        }
        return new Result(settings, List.copyOf(attacks), benign);
    }

    private record Outcome(List<Attack> attacks, Benign benign) {}

    /** One scheduled call of a session. */
    private record Scheduled(long time, ToolCall call, Session session, int step) {}

    /** One session to play: its calls, and where it was hijacked (-1 if benign). */
    private record Session(String runId, List<Call> calls, int hijackIndex, boolean tested) {}

    /** What one played window showed about its test session. */
    private record TestOutcome(int firstFlaggedStep, Set<String> firstKinds, boolean alarmBefore) {}

    /** One agent (suite and seed) through the whole protocol. */
    private static final class AgentRun {
        final String suite;
        final int seed;
        final Settings settings;
        final AgentDojoData data;
        final List<UserTask> tasks;
        final double[] cumulativePopularity;
        final List<String> readTools;
        final ToolCallDistributionDetector detector;
        final SplittableRandom random;
        long sessions;
        long maxStateBytes;

        AgentRun(AgentDojoData data, String suite, int seed, Settings settings) {
            this.data = data;
            this.suite = suite;
            this.seed = seed;
            this.settings = settings;
            this.tasks = data.userTasks().stream().filter(t -> t.suite().equals(suite)).toList();
            this.readTools =
                    data.suiteTools().get(suite).stream()
                            .filter(AgentDojoEvaluation::isRead)
                            .toList();
            this.detector = new ToolCallDistributionDetector(settings.detector());
            this.random = new SplittableRandom(31L * suite.hashCode() + 1_000_003L * seed);
            double[] weights = new double[tasks.size()];
            for (int i = 0; i < weights.length; i++) {
                for (int k = 0; k < settings.popularityShape(); k++) {
                    weights[i] -= Math.log(1 - random.nextDouble());
                }
            }
            this.cumulativePopularity = cumulative(weights);
        }

        Outcome play() {
            ToolCallState state = detector.newState();
            for (int w = 0; w < settings.historyWindows(); w++) {
                state = window(state, w, null).state;
            }
            byte[] trained = detector.codec().encode(state);
            int testWindow = settings.historyWindows();
            long alarmedSessions = 0;
            for (int i = 0; i < settings.benignTestSessions(); i++) {
                UserTask task = drawTask();
                Session session = new Session(runId(), withRetries(task.calls()), -1, true);
                Played played = window(detector.codec().decode(trained), testWindow, session);
                alarmedSessions += played.test.firstFlaggedStep >= 0 ? 1 : 0;
            }
            List<Attack> attacks = new ArrayList<>();
            for (UserTask task : tasks) {
                for (InjectionTask injection : data.injectionTasks()) {
                    if (injection.suite().equals(suite)) {
                        attacks.add(attack(trained, testWindow, task, injection));
                    }
                }
            }
            long keyWindows = 0;
            long alarmedWindows = 0;
            long shiftWindows = 0;
            long calls = 0;
            long callFindings = 0;
            for (int w = testWindow; w < testWindow + settings.afterWindows(); w++) {
                Played played = window(state, w, null);
                state = played.state;
                keyWindows++;
                alarmedWindows += played.callFindings + played.shiftFindings > 0 ? 1 : 0;
                shiftWindows += played.shiftFindings > 0 ? 1 : 0;
                calls += played.calls;
                callFindings += played.callFindings;
            }
            Benign benign =
                    new Benign(
                            suite,
                            settings.benignTestSessions(),
                            alarmedSessions,
                            keyWindows,
                            alarmedWindows,
                            shiftWindows,
                            calls,
                            callFindings,
                            maxStateBytes);
            return new Outcome(attacks, benign);
        }

        Attack attack(byte[] trained, int testWindow, UserTask task, InjectionTask injection) {
            int hijack = task.hijackIndex();
            List<Call> calls = new ArrayList<>(withRetries(task.calls().subList(0, hijack + 1)));
            int hijackIndex = calls.size() - 1;
            calls.addAll(injection.calls());
            calls.addAll(withRetries(task.calls().subList(hijack + 1, task.calls().size())));
            Session session = new Session(runId(), calls, hijackIndex, true);
            Played played = window(detector.codec().decode(trained), testWindow, session);
            Set<String> suiteTools = data.suiteTools().get(suite);
            return new Attack(
                    suite,
                    task.id(),
                    injection.id(),
                    injection.attackType(),
                    seed,
                    !suiteTools.containsAll(injection.attackerTools()),
                    !task.tools().containsAll(injection.attackerTools()),
                    played.test.firstFlaggedStep < 0
                            ? -1
                            : played.test.firstFlaggedStep - hijackIndex,
                    played.test.firstKinds,
                    played.test.alarmBefore);
        }

        /** The outcome of one window. */
        private record Played(
                ToolCallState state,
                long calls,
                long callFindings,
                long shiftFindings,
                TestOutcome test) {}

        /**
         * Plays window {@code w} of background sessions, plus {@code test} if not null, and closes
         * it.
         */
        Played window(ToolCallState state, int w, Session test) {
            long start = T0 + w * HOUR;
            List<Scheduled> schedule = new ArrayList<>();
            int background = poisson(settings.sessionsPerWindow());
            for (int s = 0; s < background; s++) {
                Session session = new Session(runId(), backgroundCalls(drawTask()), -1, false);
                schedule(schedule, session, start + (long) (random.nextDouble() * LATEST_START));
            }
            if (test != null) {
                schedule(schedule, test, start + (long) (random.nextDouble() * LATEST_START));
            }
            schedule.sort((a, b) -> Long.compare(a.time(), b.time()));
            long callFindings = 0;
            int firstFlagged = -1;
            Set<String> firstKinds = Set.of();
            boolean alarmBefore = false;
            for (Scheduled slot : schedule) {
                List<Finding> findings = detector.onEvent(state, slot.call(), slot.time());
                callFindings += findings.size();
                if (slot.session() == test && !findings.isEmpty()) {
                    if (test.hijackIndex() >= 0 && slot.step() <= test.hijackIndex()) {
                        alarmBefore = true;
                    } else if (firstFlagged < 0) {
                        firstFlagged = slot.step();
                        firstKinds = kinds(findings);
                    }
                }
            }
            List<Finding> closing = detector.onTime(state, start + HOUR);
            byte[] bytes = detector.codec().encode(state);
            maxStateBytes = Math.max(maxStateBytes, bytes.length);
            return new Played(
                    detector.codec().decode(bytes),
                    schedule.size(),
                    callFindings,
                    closing.size(),
                    new TestOutcome(firstFlagged, firstKinds, alarmBefore));
        }

        private void schedule(List<Scheduled> schedule, Session session, long start) {
            for (int step = 0; step < session.calls().size(); step++) {
                Call call = session.calls().get(step);
                String eventId = session.runId() + "/" + step;
                schedule.add(
                        new Scheduled(
                                start + step * STEP_MILLIS,
                                new ToolCall(
                                        call.tool(), call.target(), eventId, session.runId(), step),
                                session,
                                step));
            }
        }

        private static Set<String> kinds(List<Finding> findings) {
            Set<String> kinds = new TreeSet<>();
            for (Finding finding : findings) {
                for (Measure measure : finding.measures()) {
                    String name = measure.name();
                    kinds.add(name.substring(0, Math.max(0, name.indexOf(':'))));
                }
            }
            return Set.copyOf(kinds);
        }

        private List<Call> backgroundCalls(UserTask task) {
            List<Call> calls = withRetries(task.calls());
            for (int i = 0; i < calls.size() - 1; i++) {
                if (random.nextDouble() < settings.abandonProbability()) {
                    return calls.subList(0, i + 1);
                }
            }
            return calls;
        }

        private List<Call> withRetries(List<Call> calls) {
            List<Call> varied = new ArrayList<>(calls.size() + 2);
            for (Call call : calls) {
                varied.add(call);
                if (isRead(call.tool()) && random.nextDouble() < settings.retryProbability()) {
                    varied.add(call);
                }
                if (random.nextDouble() < settings.exploreProbability()) {
                    varied.add(new Call(readTools.get(random.nextInt(readTools.size())), null));
                }
            }
            return varied;
        }

        private UserTask drawTask() {
            double u = random.nextDouble();
            for (int i = 0; i < cumulativePopularity.length - 1; i++) {
                if (u < cumulativePopularity[i]) {
                    return tasks.get(i);
                }
            }
            return tasks.get(tasks.size() - 1);
        }

        private String runId() {
            return suite + "-" + seed + "-" + sessions++;
        }

        private int poisson(double mean) {
            double limit = Math.exp(-mean);
            double product = random.nextDouble();
            int count = 0;
            while (product > limit) {
                product *= random.nextDouble();
                count++;
            }
            return count;
        }
    }

    /** Whether a tool only reads, by AgentDojo's naming convention. */
    static boolean isRead(String tool) {
        return tool.startsWith("get_")
                || tool.startsWith("search_")
                || tool.startsWith("read_")
                || tool.startsWith("list_")
                || tool.startsWith("check_");
    }

    private static double[] cumulative(double[] weights) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double[] cumulative = new double[weights.length];
        double running = 0;
        for (int i = 0; i < weights.length; i++) {
            running += weights[i] / total;
            cumulative[i] = running;
        }
        return cumulative;
    }
}
