package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.ActionStatus;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.PromptSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Indirect prompt injection: content planted in a document, web page or mail hijacks one agent,
 * which then exfiltrates through 2 or 3 tools it never calls, towards targets it never touches.
 *
 * <p>Each hijacked run serves a normal user: the request, then (when the agent has a tool reading
 * external content) a call to it, then the untrusted input carrying the injection (under that call,
 * or retrieved directly under the root span), then the exfiltrating calls, each with {@code
 * caused_by} = [request, untrusted input], then an unrefused output. The exfiltrating tools are
 * drawn once per incident from send_email to an outside mailbox, export_table of customers,
 * http_post and upload_file to attacker hosts, share_document to anyone, create_api_token with
 * admin scope, excluding the agent's own tools. Runs start uniformly in the window and finish
 * within it. Labels: {@code agent} with the agent key and the whole window, then {@code trace} per
 * hijacked run with {@code tenant/trace_id} and the run's first to last event time.
 *
 * @param agentKey the hijacked agent, {@code tenant/agent}; {@code null} picks one at random
 * @param minRuns fewest hijacked runs
 * @param maxRuns most hijacked runs
 * @param duration length of the attack window, at least 2 minutes
 */
public record PromptInjection(String agentKey, int minRuns, int maxRuns, Duration duration)
        implements AttackScenario {

    /** The scenario name in labels. */
    public static final String NAME = "prompt-injection";

    /** The attacker's moves: a tool the injection makes the agent call, and its target. */
    private static final Map<String, String> EXFILTRATION_TARGETS = exfiltrationTargets();

    private static final int MIN_EXFILTRATING_TOOLS = 2;
    private static final int MAX_EXFILTRATING_TOOLS = 3;
    private static final long MAX_RUN_MILLIS = 60_000;
    private static final List<PromptSource> DIRECT_SOURCES =
            List.of(PromptSource.RETRIEVED_DOCUMENT, PromptSource.EMAIL, PromptSource.WEB);

    public PromptInjection {
        if (minRuns < 1 || maxRuns < minRuns) {
            throw new IllegalArgumentException("need 1 <= minRuns <= maxRuns");
        }
        if (duration.toMillis() < 2 * MAX_RUN_MILLIS) {
            throw new IllegalArgumentException("duration must be at least 2 minutes");
        }
    }

    /** 4 to 6 hijacked runs in 30 minutes of a random agent. */
    public static PromptInjection randomAgent() {
        return new PromptInjection(null, 4, 6, Duration.ofMinutes(30));
    }

    /** 4 to 6 hijacked runs in 30 minutes of the agent with that key. */
    public static PromptInjection against(String agentKey) {
        return new PromptInjection(agentKey, 4, 6, Duration.ofMinutes(30));
    }

    /** Names of the tools an injection may make an agent call. */
    public static List<String> exfiltrationTools() {
        return List.copyOf(EXFILTRATION_TARGETS.keySet());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Injection inject(AttackContext context) {
        Predicate<Agent> exploitable =
                agent -> unusedExfiltrationTools(agent).size() >= MIN_EXFILTRATING_TOOLS;
        Agent agent =
                agentKey == null
                        ? context.randomAgent(exploitable)
                        : context.population().agent(agentKey);
        SplittableRandom random = context.random();
        List<String> exfiltrating = chooseExfiltrationTools(agent, random);
        long start = context.start().toEpochMilli();
        long end = start + duration.toMillis();
        long[] runStarts = new long[random.nextInt(minRuns, maxRuns + 1)];
        for (int i = 0; i < runStarts.length; i++) {
            runStarts[i] = random.nextLong(start, end - MAX_RUN_MILLIS + 1);
        }
        Arrays.sort(runStarts);
        long seed = random.nextLong();
        List<Label> labels = new ArrayList<>();
        labels.add(context.label(NAME, Label.KeyType.AGENT, agent.key(), duration));
        labels.addAll(traceLabels(context, agent, write(agent, exfiltrating, runStarts, seed)));
        return new PlannedInjection(labels, () -> write(agent, exfiltrating, runStarts, seed));
    }

    private static List<String> chooseExfiltrationTools(Agent agent, SplittableRandom random) {
        List<String> unused = unusedExfiltrationTools(agent);
        if (unused.size() < MIN_EXFILTRATING_TOOLS) {
            throw new IllegalArgumentException(
                    "agent " + agent.key() + " already uses the exfiltration tools");
        }
        shuffle(unused, random);
        int count = random.nextInt(MIN_EXFILTRATING_TOOLS, MAX_EXFILTRATING_TOOLS + 1);
        return List.copyOf(unused.subList(0, Math.min(unused.size(), count)));
    }

    private static List<String> unusedExfiltrationTools(Agent agent) {
        return EXFILTRATION_TARGETS.keySet().stream()
                .filter(tool -> !agent.toolNames().contains(tool))
                .collect(Collectors.toList());
    }

    private static List<Event> write(
            Agent agent, List<String> exfiltrating, long[] runStarts, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom embeddingRandom = random.split();
        Sha256 sha256 = new Sha256();
        List<ToolUse> readers =
                agent.tools().stream()
                        .filter(use -> use.tool().readsExternalContent())
                        .collect(Collectors.toList());
        List<Event> events = new ArrayList<>();
        for (long runStart : runStarts) {
            Identity user = agent.users().get(random.nextInt(agent.users().size()));
            AgentRun run =
                    new AgentRun(
                            agent, user, runStart, sha256, random, embeddingRandom, events::add);
            Event request = run.request();
            Event untrusted;
            if (readers.isEmpty()) {
                untrusted =
                        run.untrustedInput(
                                request, DIRECT_SOURCES.get(random.nextInt(DIRECT_SOURCES.size())));
            } else {
                ToolUse reader = readers.get(random.nextInt(readers.size()));
                Event read =
                        run.call(
                                reader.tool(),
                                reader.targets().get(random.nextInt(reader.targets().size())),
                                ActionStatus.OK,
                                List.of(request.getEventId()));
                untrusted = run.untrustedInput(read, reader.tool().resultSource());
            }
            List<String> causedBy = List.of(request.getEventId(), untrusted.getEventId());
            for (String tool : exfiltrating) {
                run.call(
                        ToolCatalog.get(tool),
                        EXFILTRATION_TARGETS.get(tool),
                        ActionStatus.OK,
                        causedBy);
            }
            run.finish(false);
        }
        return events;
    }

    private static List<Label> traceLabels(AttackContext context, Agent agent, List<Event> events) {
        Map<String, List<Instant>> timesByTrace = new LinkedHashMap<>();
        for (Event event : events) {
            timesByTrace
                    .computeIfAbsent(event.getTraceId(), trace -> new ArrayList<>())
                    .add(event.getEventTime());
        }
        List<Label> labels = new ArrayList<>();
        timesByTrace.forEach(
                (trace, times) ->
                        labels.add(
                                new Label(
                                        context.incidentId(),
                                        NAME,
                                        Label.KeyType.TRACE,
                                        agent.tenantId() + "/" + trace,
                                        times.stream().min(Comparator.naturalOrder()).orElseThrow(),
                                        times.stream()
                                                .max(Comparator.naturalOrder())
                                                .orElseThrow())));
        return labels;
    }

    private static void shuffle(List<String> items, SplittableRandom random) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            items.set(j, items.set(i, items.get(j)));
        }
    }

    private static Map<String, String> exfiltrationTargets() {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("send_email", "invoice-review@proton.me");
        targets.put("export_table", "crm.customers");
        targets.put("http_post", "https://telemetry-sync.io/v1/collect");
        targets.put("upload_file", "https://files.anonshare.cc/put");
        targets.put("share_document", "anyone-with-the-link");
        targets.put("create_api_token", "scope:admin");
        return Collections.unmodifiableMap(targets);
    }
}
