package dev.tamperwatch.load.cli;

import dev.tamperwatch.load.AttackScenario;
import dev.tamperwatch.load.DataExfiltration;
import dev.tamperwatch.load.JailbreakCampaign;
import dev.tamperwatch.load.Label;
import dev.tamperwatch.load.PromptInjection;
import dev.tamperwatch.load.ScenarioPlan;
import dev.tamperwatch.load.TrafficProfile;
import dev.tamperwatch.schema.JsonLinesWriter;
import dev.tamperwatch.schema.avro.Event;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code tamperwatch generate}: writes a seeded scenario, days of normal traffic followed by
 * injected attacks, as an events file (JSON Lines, or an Avro object container file when the name
 * ends in {@code .avro}) and its ground truth as labels (JSON Lines, one {@link Label} per line).
 * The same arguments always give the same files.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes seeded traffic with injected attacks as events plus labels, for backtests.",
            "Example: generate --days 3 --seed 7 --events out/events.jsonl --labels"
                    + " out/labels.jsonl"
        })
public final class GenerateCommand implements Callable<Integer> {

    /** Attack scenarios by label name. */
    static final Map<String, Supplier<AttackScenario>> SCENARIOS =
            Map.of(
                    JailbreakCampaign.NAME, JailbreakCampaign::randomIdentity,
                    PromptInjection.NAME, PromptInjection::randomAgent,
                    DataExfiltration.NAME, DataExfiltration::randomIdentity);

    /** Attacks when none are given: three of each, two hours apart, after the history. */
    static final List<String> DEFAULT_ATTACKS =
            List.of(
                    "jailbreak-campaign@1h",
                    "prompt-injection@3h",
                    "jailbreak-campaign@5h",
                    "prompt-injection@7h",
                    "jailbreak-campaign@9h",
                    "prompt-injection@11h");

    @Spec CommandSpec spec;

    @Option(
            names = "--events",
            required = true,
            paramLabel = "FILE",
            description = "Events file to write: JSON Lines, or Avro if the name ends in .avro.")
    Path events;

    @Option(
            names = "--labels",
            required = true,
            paramLabel = "FILE",
            description = "Labels file to write, JSON Lines.")
    Path labels;

    @Option(
            names = "--days",
            defaultValue = "3",
            description =
                    "Days of normal history before the first attack (default: ${DEFAULT-VALUE}).")
    double days;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--identities",
            defaultValue = "200",
            description = "Human identities (default: ${DEFAULT-VALUE}).")
    int identities;

    @Option(
            names = "--agents",
            defaultValue = "20",
            description = "Agents (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(
            names = "--start",
            paramLabel = "INSTANT",
            description =
                    "Event time of the first event, ISO-8601 (default: 2026-01-05T00:00:00Z).")
    Instant start;

    @Option(
            names = "--attack",
            paramLabel = "SCENARIO@OFFSET",
            converter = AttackConverter.class,
            description =
                    "An attack starting OFFSET (e.g. 90m, 2h) after the history: jailbreak-campaign,"
                            + " prompt-injection or data-exfiltration; repeatable (default: three of each, 2 h"
                            + " apart, from 1h).")
    List<PlannedAttack> attacks = new ArrayList<>();

    @Option(
            names = "--tail",
            defaultValue = "3h",
            converter = DurationArgument.class,
            description = "Normal traffic after the last attack ends (default: ${DEFAULT-VALUE}).")
    Duration tail;

    @Option(names = "--embeddings", description = "Give prompts and outputs embeddings.")
    boolean embeddings;

    /** One attack of the plan. */
    record PlannedAttack(String scenario, Duration afterHistory) {}

    @Override
    public Integer call() throws IOException {
        if (!(days >= 0) || identities < 1 || agents < 0) {
            throw new ParameterException(
                    spec.commandLine(), "need --days >= 0, --identities >= 1 and --agents >= 0");
        }
        List<PlannedAttack> planned = attacks;
        if (planned.isEmpty()) {
            planned = DEFAULT_ATTACKS.stream().map(AttackConverter::parse).toList();
        }
        TrafficProfile profile =
                TrafficProfile.defaults(seed)
                        .withIdentitiesPerTenant(identities)
                        .withAgentsPerTenant(agents)
                        .withStart(start == null ? TrafficProfile.DEFAULT_START : start)
                        .withHistory(Duration.ofMillis(Math.round(days * 86_400_000L)))
                        .withEmbeddings(embeddings);
        ScenarioPlan.Builder builder = ScenarioPlan.builder(profile);
        planned.forEach(a -> builder.attack(a.afterHistory(), SCENARIOS.get(a.scenario()).get()));
        ScenarioPlan plan;
        try {
            plan = builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "cannot plan the attacks: " + e.getMessage());
        }
        Instant end = plan.attacksEnd().plus(tail);

        createParent(events);
        createParent(labels);
        long count = 0;
        Instant first = null;
        Instant last = null;
        try (EventSink sink = EventSink.open(events)) {
            Iterator<Event> stream = plan.events(end);
            while (stream.hasNext()) {
                Event event = stream.next();
                sink.write(event);
                if (first == null) {
                    first = event.getEventTime();
                }
                last = event.getEventTime();
                count++;
            }
        }
        List<Label> written = plan.labels();
        try (BufferedWriter out = Files.newBufferedWriter(labels, StandardCharsets.UTF_8)) {
            for (Label label : written) {
                out.write(label.toJson());
                out.write('\n');
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "wrote %,d events (%s to %s) to %s%n", count, first, last, events);
        out.printf(
                Locale.ROOT,
                "wrote %d labels of %d incidents to %s:%n",
                written.size(),
                plan.injections().size(),
                labels);
        for (Label target : plan.targets()) {
            out.printf(
                    Locale.ROOT,
                    "  %-22s %-9s %-28s %s to %s%n",
                    target.incidentId(),
                    target.keyType().jsonName(),
                    target.key(),
                    target.start(),
                    target.end());
        }
        out.flush();
        return 0;
    }

    private void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** Writes events as JSON Lines or into an Avro object container file. */
    private interface EventSink extends Closeable {
        void write(Event event) throws IOException;

        static EventSink open(Path file) throws IOException {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".avro")) {
                DataFileWriter<Event> avro =
                        new DataFileWriter<>(new SpecificDatumWriter<>(Event.class));
                avro.create(Event.getClassSchema(), file.toFile());
                return new EventSink() {
                    @Override
                    public void write(Event event) throws IOException {
                        avro.append(event);
                    }

                    @Override
                    public void close() throws IOException {
                        avro.close();
                    }
                };
            }
            JsonLinesWriter lines = JsonLinesWriter.open(file);
            return new EventSink() {
                @Override
                public void write(Event event) throws IOException {
                    lines.write(event);
                }

                @Override
                public void close() throws IOException {
                    lines.close();
                }
            };
        }
    }

    /** Parses {@code SCENARIO@OFFSET}. */
    static final class AttackConverter implements ITypeConverter<PlannedAttack> {
        private static final Pattern FORM = Pattern.compile("([a-z0-9-]+)@(.+)");

        @Override
        public PlannedAttack convert(String value) {
            return parse(value);
        }

        static PlannedAttack parse(String value) {
            Matcher m = FORM.matcher(value.trim());
            if (!m.matches()) {
                throw new TypeConversionException(
                        "'" + value + "' is not SCENARIO@OFFSET, e.g. jailbreak-campaign@2h");
            }
            if (!SCENARIOS.containsKey(m.group(1))) {
                throw new TypeConversionException(
                        "unknown scenario '"
                                + m.group(1)
                                + "'; known: "
                                + String.join(", ", new java.util.TreeSet<>(SCENARIOS.keySet())));
            }
            return new PlannedAttack(m.group(1), DurationArgument.parse(m.group(2)));
        }
    }

    /** Durations written {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d} or ISO-8601. */
    static final class DurationArgument implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");
        private static final Map<String, Duration> UNITS = new LinkedHashMap<>();

        static {
            UNITS.put("ms", Duration.ofMillis(1));
            UNITS.put("s", Duration.ofSeconds(1));
            UNITS.put("m", Duration.ofMinutes(1));
            UNITS.put("h", Duration.ofHours(1));
            UNITS.put("d", Duration.ofDays(1));
        }

        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        static Duration parse(String value) {
            Matcher m = SHORT.matcher(value.trim());
            if (m.matches()) {
                return UNITS.get(m.group(2)).multipliedBy(Long.parseLong(m.group(1)));
            }
            try {
                return Duration.parse(value.trim());
            } catch (RuntimeException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a duration; write e.g. 90s, 30m, 2h, 1d");
            }
        }
    }
}
