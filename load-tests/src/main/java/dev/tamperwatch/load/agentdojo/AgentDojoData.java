package dev.tamperwatch.load.agentdojo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AgentDojo's benign user tasks and injection tasks, reduced to what a tool-call detector sees: per
 * call the tool name and the resource it touched.
 *
 * <p>A call's <em>target</em> is the value of its first argument, in this order, among {@value
 * #TARGET_ARGUMENTS_TEXT}: recipients, accounts, pages, files, channels, users and bookings — the
 * resources an action reaches — never free-text queries or contents. Lists join sorted with commas;
 * a URL is reduced to its host and an e-mail address to lower case.
 *
 * <p>Injection tasks whose ground truth AgentDojo leaves empty call each of their attacker tools
 * once, in order; their targets are the e-mail addresses named in the goal for tools that take
 * recipients, and unknown otherwise.
 *
 * @param userTasks the 97 benign tasks
 * @param injectionTasks the 35 attacker goals
 * @param suiteTools per suite, the tools its benign tasks call
 */
public record AgentDojoData(
        List<UserTask> userTasks,
        List<InjectionTask> injectionTasks,
        Map<String, Set<String>> suiteTools) {

    static final String USER_TASKS = "agentdojo_user_tasks.json";
    static final String INJECTION_TASKS = "agentdojo_injection_tasks.json";

    private static final String TARGET_ARGUMENTS_TEXT =
            "recipients, recipient, participants, email, user_email, url, file_id, file_path,"
                    + " email_id, event_id, id, channel, user, hotel, company, restaurant";
    private static final List<String> TARGET_ARGUMENTS = List.of(TARGET_ARGUMENTS_TEXT.split(", "));
    private static final Set<String> RECIPIENT_ARGUMENTS =
            Set.of("recipients", "recipient", "participants", "email", "user_email");
    private static final Set<String> RECIPIENT_TOOLS = Set.of("send_email");
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");

    /** One tool call: the tool and the resource it touched (null when none). */
    public record Call(String tool, String target) {}

    /**
     * A benign task.
     *
     * @param hijackIndex index of the first call whose output carries an injection slot
     */
    public record UserTask(
            String suite, String id, String difficulty, List<Call> calls, int hijackIndex) {

        public Set<String> tools() {
            Set<String> tools = new LinkedHashSet<>();
            calls.forEach(call -> tools.add(call.tool()));
            return tools;
        }
    }

    /**
     * An attacker goal.
     *
     * @param attackType {@code data_stealing}, {@code direct_harm} or {@code output_manipulation}
     * @param fromSource whether the calls are AgentDojo's ground truth rather than built from the
     *     attacker tools
     */
    public record InjectionTask(
            String suite,
            String id,
            String attackType,
            List<Call> calls,
            Set<String> attackerTools,
            boolean fromSource) {}

    /** Reads both task files from {@code directory}. */
    public static AgentDojoData load(Path directory) {
        ObjectMapper json = new ObjectMapper();
        try {
            JsonNode users = json.readTree(directory.resolve(USER_TASKS).toFile());
            JsonNode injections = json.readTree(directory.resolve(INJECTION_TASKS).toFile());
            List<UserTask> userTasks = new ArrayList<>();
            Map<String, Set<String>> suiteTools = new LinkedHashMap<>();
            for (JsonNode task : users.path("user_tasks")) {
                List<Call> calls = new ArrayList<>();
                int hijack = -1;
                for (JsonNode call : task.path("ground_truth_calls")) {
                    calls.add(call(call));
                    if (hijack < 0 && !call.path("injection_vectors_in_output").isEmpty()) {
                        hijack = calls.size() - 1;
                    }
                }
                String suite = task.path("suite").asText();
                UserTask userTask =
                        new UserTask(
                                suite,
                                task.path("id").asText(),
                                task.path("difficulty").asText(),
                                List.copyOf(calls),
                                hijack);
                userTasks.add(userTask);
                suiteTools.computeIfAbsent(suite, s -> new TreeSet<>()).addAll(userTask.tools());
            }
            List<InjectionTask> injectionTasks = new ArrayList<>();
            for (JsonNode task : injections.path("injection_tasks")) {
                injectionTasks.add(injectionTask(task));
            }
            return new AgentDojoData(
                    List.copyOf(userTasks), List.copyOf(injectionTasks), suiteTools);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Suites in file order. */
    public List<String> suites() {
        return List.copyOf(suiteTools.keySet());
    }

    private static InjectionTask injectionTask(JsonNode task) {
        Set<String> attackerTools = new LinkedHashSet<>();
        task.path("attacker_tools").forEach(tool -> attackerTools.add(tool.asText()));
        boolean fromSource = task.path("ground_truth_from_source").asBoolean(true);
        List<Call> calls = new ArrayList<>();
        for (JsonNode call : task.path("ground_truth_calls")) {
            calls.add(call(call));
        }
        if (calls.isEmpty()) {
            Set<String> emails = new TreeSet<>();
            Matcher matcher = EMAIL.matcher(task.path("goal").asText());
            while (matcher.find()) {
                emails.add(matcher.group());
            }
            for (String tool : attackerTools) {
                String target =
                        RECIPIENT_TOOLS.contains(tool) && !emails.isEmpty()
                                ? String.join(",", emails)
                                : null;
                calls.add(new Call(tool, target));
            }
        }
        return new InjectionTask(
                task.path("suite").asText(),
                task.path("id").asText(),
                task.path("attack_type").asText(),
                List.copyOf(calls),
                attackerTools,
                fromSource);
    }

    private static Call call(JsonNode call) {
        return new Call(call.path("function").asText(), target(call.path("args")));
    }

    /** The resource a call with these arguments touched, or null. */
    static String target(JsonNode args) {
        for (String name : TARGET_ARGUMENTS) {
            JsonNode value = args.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                Set<String> values = new TreeSet<>();
                for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                    values.add(normalize(name, it.next().asText()));
                }
                return values.isEmpty() ? null : String.join(",", values);
            }
            String text = value.asText();
            return text.isEmpty() ? null : normalize(name, text);
        }
        return null;
    }

    private static String normalize(String argument, String value) {
        if ("url".equals(argument)) {
            String withScheme = value.contains("://") ? value : "https://" + value;
            try {
                String host = URI.create(withScheme.replace(" ", "%20")).getHost();
                return host == null ? value : host.toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException notAUrl) {
                return value;
            }
        }
        boolean email = RECIPIENT_ARGUMENTS.contains(argument) && value.contains("@");
        return email ? value.toLowerCase(Locale.ROOT) : value;
    }
}
