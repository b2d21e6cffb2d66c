package dev.tamperwatch.job.backtest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * The figures of one replay, computed from its alerts, the labelled incidents and what was read.
 *
 * <p>Definitions. An alert <em>matches</em> a label when it names the label's entity ({@link
 * AlertFacts#concerns}) and its time lies in [start, end + grace]; it matches an incident when it
 * matches any of the incident's labels. An incident is <em>detected</em> when some alert matches
 * it. <b>Recall</b> = detected incidents / incidents. <b>Precision</b> = alerts matching some
 * incident / alerts. <b>F1</b> = 2·precision·recall / (precision + recall). <b>Detection delay</b>
 * = time of the first matching alert − incident start, over detected incidents: median and 90th
 * percentile (linear interpolation between order statistics). A <em>false alert</em> matches no
 * incident; <b>false alerts per 1,000 key-days</b> = false alerts whose subject has that key type /
 * key-days of that type × 1,000, where key-days are the distinct pairs (key, UTC day) with events;
 * {@code all} divides every false alert by the key-days of every subject key type. <b>Alerts per
 * day</b> = alerts / days of replayed event time (last − first event, at least one hour). Per
 * detector, each figure counts that detector's alerts only; per scenario, the incidents of that
 * scenario. Without labels only alert volume and top keys are reported.
 */
public final class BacktestMetrics {

    /** Keys listed as top or noisiest keys. */
    public static final int TOP_KEYS = 10;

    /** Dead letters listed one by one; the rest are only counted. */
    public static final int LISTED_DEAD_LETTERS = 1000;

    private static final long DAY_MILLIS = 86_400_000L;
    private static final long HOUR_MILLIS = 3_600_000L;

    /** The figures of one run. */
    public record Metrics(
            InputFigures input,
            String configFile,
            Map<String, Object> config,
            String grace,
            boolean labelled,
            Figures overall,
            Map<String, Figures> byDetector,
            Map<String, ScenarioFigures> byScenario,
            List<IncidentOutcome> incidents,
            Volume alerts,
            DeadLetters deadLetters,
            Map<String, Long> scoresByDetector) {}

    /** What was replayed. */
    public record InputFigures(
            String source,
            long records,
            long events,
            long deadLetters,
            String firstEventTime,
            String lastEventTime,
            double days,
            Map<String, Long> keys,
            Map<String, Long> keyDays) {}

    /** Detection figures of all alerts or of one detector's; null figures need labels. */
    public record Figures(
            Integer incidents,
            Integer detected,
            Double recall,
            long alerts,
            Long matchingAlerts,
            Long falseAlerts,
            Double precision,
            Double f1,
            Delay detectionDelay,
            @JsonProperty("false_alerts_per_1000_key_days")
                    Map<String, Double> falseAlertsPer1000KeyDays,
            double alertsPerDay) {}

    /** Detection delay over detected incidents, in ms; null without any. */
    public record Delay(int count, Double medianMs, Double p90Ms) {}

    /** Detection figures of one scenario. */
    public record ScenarioFigures(
            int incidents,
            int detected,
            double recall,
            long matchingAlerts,
            Delay detectionDelay,
            Map<String, Integer> detectedBy) {}

    /** One incident and whether and how it was caught. */
    public record IncidentOutcome(
            String incidentId,
            String scenario,
            long start,
            long end,
            List<LabelRef> labels,
            boolean detected,
            Long firstAlertTime,
            Long delayMs,
            String firstAlertUid,
            int matchingAlerts,
            List<String> detectors) {}

    /** One label of an incident. */
    public record LabelRef(String keyType, String key, long start, long end) {}

    /**
     * How many alerts, when, from which detector, about which keys; {@code afterEndOfReplay} counts
     * alerts about incomplete windows after the last event, which are left out of every other
     * figure.
     */
    public record Volume(
            long total,
            long afterEndOfReplay,
            double perDay,
            Map<String, Long> byDetector,
            Map<String, Long> byKeyType,
            Map<String, Long> byDay,
            List<KeyCount> topKeys,
            List<KeyCount> noisiestUnlabelledKeys) {}

    /** Alerts about one key; {@code falseAlerts} null without labels. */
    public record KeyCount(
            String keyType, String key, long alerts, Long falseAlerts, boolean labelled) {}

    /** Records that could not be decoded or validated. */
    public record DeadLetters(
            long count, Map<String, Long> byErrorClass, List<DeadLetterRef> listed) {}

    /** Where one dead letter came from and why it was rejected. */
    public record DeadLetterRef(String origin, String errorClass, String reason) {}

    /** Everything the computation needs besides the alerts and incidents. */
    public record Context(
            String source,
            InputStats input,
            String configFile,
            Map<String, Object> config,
            long graceMillis,
            List<DeadLetterRef> deadLetters,
            Map<String, Long> scoresByDetector,
            long alertsAfterEnd) {}

    private BacktestMetrics() {}

    /**
     * Computes every figure.
     *
     * @param alerts the replay's alerts in (time, uid) order
     * @param incidents the labelled incidents, or null without labels
     */
    public static Metrics compute(
            List<AlertFacts> alerts, List<Incident> incidents, Context context) {
        InputStats in = context.input();
        long grace = context.graceMillis();
        double days = days(in);
        Map<String, Long> keyDays = new LinkedHashMap<>();
        Map<String, Long> keys = new LinkedHashMap<>();
        for (int i = 0; i < in.keyTypes.length; i++) {
            keyDays.put(in.keyTypes[i], in.keyDays[i]);
            keys.put(in.keyTypes[i], in.keys[i]);
        }
        InputFigures input =
                new InputFigures(
                        context.source(),
                        in.records,
                        in.events,
                        in.deadLetters,
                        in.events == 0 ? null : Instant.ofEpochMilli(in.minEventTime).toString(),
                        in.events == 0 ? null : Instant.ofEpochMilli(in.maxEventTime).toString(),
                        round(days),
                        keys,
                        keyDays);

        boolean labelled = incidents != null;
        List<Incident> all = labelled ? incidents : List.of();
        // Which incidents each alert matches, by alert index.
        List<Set<Integer>> matched = new ArrayList<>();
        for (AlertFacts alert : alerts) {
            Set<Integer> hits = new HashSet<>();
            for (int i = 0; i < all.size(); i++) {
                for (IncidentLabel label : all.get(i).labels()) {
                    if (alert.matches(label, grace)) {
                        hits.add(i);
                        break;
                    }
                }
            }
            matched.add(hits);
        }

        TreeSet<String> detectors = new TreeSet<>();
        alerts.forEach(a -> detectors.add(a.detector()));
        if (context.scoresByDetector() != null) {
            detectors.addAll(context.scoresByDetector().keySet());
        }

        Figures overall = figures(alerts, matched, all, labelled, keyDays, days, null);
        Map<String, Figures> byDetector = new LinkedHashMap<>();
        for (String detector : detectors) {
            byDetector.put(
                    detector, figures(alerts, matched, all, labelled, keyDays, days, detector));
        }

        List<IncidentOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            outcomes.add(outcome(all.get(i), i, alerts, matched));
        }
        Map<String, ScenarioFigures> byScenario = labelled ? byScenario(outcomes) : null;

        Set<String> labelledKeys = new HashSet<>();
        all.forEach(
                inc ->
                        inc.labels()
                                .forEach(
                                        l ->
                                                labelledKeys.add(
                                                        keyId(l.keyType().jsonName(), l.key()))));
        Volume volume =
                volume(alerts, matched, labelled, labelledKeys, days, context.alertsAfterEnd());

        Map<String, Long> byClass = new TreeMap<>();
        context.deadLetters().forEach(d -> byClass.merge(d.errorClass(), 1L, Long::sum));
        List<DeadLetterRef> listed =
                context.deadLetters()
                        .subList(0, Math.min(LISTED_DEAD_LETTERS, context.deadLetters().size()));
        DeadLetters deadLetters =
                new DeadLetters(context.deadLetters().size(), byClass, List.copyOf(listed));

        return new Metrics(
                input,
                context.configFile(),
                context.config(),
                DurationFormat.format(java.time.Duration.ofMillis(grace)),
                labelled,
                overall,
                byDetector,
                byScenario,
                labelled ? outcomes : null,
                volume,
                deadLetters,
                context.scoresByDetector() == null
                        ? Map.of()
                        : new TreeMap<>(context.scoresByDetector()));
    }

    private static Figures figures(
            List<AlertFacts> alerts,
            List<Set<Integer>> matched,
            List<Incident> incidents,
            boolean labelled,
            Map<String, Long> keyDays,
            double days,
            String detector) {
        long total = 0;
        long matching = 0;
        Map<String, Long> falseByType = new TreeMap<>();
        Map<Integer, Long> firstHit = new HashMap<>();
        for (int a = 0; a < alerts.size(); a++) {
            AlertFacts alert = alerts.get(a);
            if (detector != null && !detector.equals(alert.detector())) {
                continue;
            }
            total++;
            if (matched.get(a).isEmpty()) {
                falseByType.merge(alert.keyType(), 1L, Long::sum);
            } else {
                matching++;
                for (int i : matched.get(a)) {
                    firstHit.merge(i, alert.time(), Math::min);
                }
            }
        }
        double perDay = round(total / days);
        if (!labelled) {
            return new Figures(null, null, null, total, null, null, null, null, null, null, perDay);
        }
        int detected = firstHit.size();
        Double recall = incidents.isEmpty() ? null : round((double) detected / incidents.size());
        Double precision = total == 0 ? null : round((double) matching / total);
        Double f1 = null;
        if (recall != null && precision != null) {
            f1 =
                    recall + precision == 0
                            ? 0.0
                            : round(2 * recall * precision / (recall + precision));
        }
        List<Long> delays = new ArrayList<>();
        firstHit.forEach((i, time) -> delays.add(time - incidents.get(i).start()));
        Map<String, Double> falseRate = new LinkedHashMap<>();
        long allKeyDays = 0;
        long allFalse = total - matching;
        for (Map.Entry<String, Long> kd : keyDays.entrySet()) {
            allKeyDays += kd.getValue();
            if (kd.getValue() > 0) {
                falseRate.put(
                        kd.getKey(),
                        round(1000.0 * falseByType.getOrDefault(kd.getKey(), 0L) / kd.getValue()));
            }
        }
        if (allKeyDays > 0) {
            falseRate.put("all", round(1000.0 * allFalse / allKeyDays));
        }
        return new Figures(
                incidents.size(),
                detected,
                recall,
                total,
                matching,
                allFalse,
                precision,
                f1,
                delay(delays),
                falseRate,
                perDay);
    }

    private static IncidentOutcome outcome(
            Incident incident, int index, List<AlertFacts> alerts, List<Set<Integer>> matched) {
        AlertFacts first = null;
        int count = 0;
        TreeSet<String> detectors = new TreeSet<>();
        for (int a = 0; a < alerts.size(); a++) {
            if (matched.get(a).contains(index)) {
                AlertFacts alert = alerts.get(a);
                count++;
                detectors.add(alert.detector());
                if (first == null || alert.time() < first.time()) {
                    first = alert;
                }
            }
        }
        List<LabelRef> labels =
                incident.labels().stream()
                        .map(l -> new LabelRef(l.keyType().jsonName(), l.key(), l.start(), l.end()))
                        .toList();
        return new IncidentOutcome(
                incident.id(),
                incident.scenario(),
                incident.start(),
                incident.end(),
                labels,
                first != null,
                first == null ? null : first.time(),
                first == null ? null : first.time() - incident.start(),
                first == null ? null : first.uid(),
                count,
                List.copyOf(detectors));
    }

    private static Map<String, ScenarioFigures> byScenario(List<IncidentOutcome> outcomes) {
        Map<String, List<IncidentOutcome>> groups = new TreeMap<>();
        outcomes.forEach(o -> groups.computeIfAbsent(o.scenario(), s -> new ArrayList<>()).add(o));
        Map<String, ScenarioFigures> out = new LinkedHashMap<>();
        groups.forEach(
                (scenario, group) -> {
                    int detected = 0;
                    long matching = 0;
                    List<Long> delays = new ArrayList<>();
                    Map<String, Integer> by = new TreeMap<>();
                    for (IncidentOutcome o : group) {
                        matching += o.matchingAlerts();
                        if (o.detected()) {
                            detected++;
                            delays.add(o.delayMs());
                        }
                        o.detectors().forEach(d -> by.merge(d, 1, Integer::sum));
                    }
                    out.put(
                            scenario,
                            new ScenarioFigures(
                                    group.size(),
                                    detected,
                                    round((double) detected / group.size()),
                                    matching,
                                    delay(delays),
                                    by));
                });
        return out;
    }

    private static Volume volume(
            List<AlertFacts> alerts,
            List<Set<Integer>> matched,
            boolean labelled,
            Set<String> labelledKeys,
            double days,
            long afterEnd) {
        Map<String, Long> byDetector = new TreeMap<>();
        Map<String, Long> byKeyType = new TreeMap<>();
        Map<String, Long> byDay = new TreeMap<>();
        Map<String, long[]> byKey = new HashMap<>();
        for (int a = 0; a < alerts.size(); a++) {
            AlertFacts alert = alerts.get(a);
            byDetector.merge(alert.detector(), 1L, Long::sum);
            byKeyType.merge(alert.keyType(), 1L, Long::sum);
            byDay.merge(
                    LocalDate.ofInstant(Instant.ofEpochMilli(alert.time()), ZoneOffset.UTC)
                            .toString(),
                    1L,
                    Long::sum);
            long[] counts =
                    byKey.computeIfAbsent(keyId(alert.keyType(), alert.key()), k -> new long[2]);
            counts[0]++;
            if (matched.get(a).isEmpty()) {
                counts[1]++;
            }
        }
        List<KeyCount> keys = new ArrayList<>();
        byKey.forEach(
                (id, counts) -> {
                    int cut = id.indexOf('\u0000');
                    keys.add(
                            new KeyCount(
                                    id.substring(0, cut),
                                    id.substring(cut + 1),
                                    counts[0],
                                    labelled ? counts[1] : null,
                                    labelledKeys.contains(id)));
                });
        Comparator<KeyCount> byName =
                Comparator.comparing(KeyCount::keyType).thenComparing(KeyCount::key);
        List<KeyCount> top =
                keys.stream()
                        .sorted(
                                Comparator.comparingLong(KeyCount::alerts)
                                        .reversed()
                                        .thenComparing(byName))
                        .limit(TOP_KEYS)
                        .toList();
        List<KeyCount> noisiest =
                keys.stream()
                        .filter(k -> !k.labelled())
                        .sorted(
                                Comparator.comparingLong(KeyCount::alerts)
                                        .reversed()
                                        .thenComparing(byName))
                        .limit(TOP_KEYS)
                        .toList();
        return new Volume(
                alerts.size(),
                afterEnd,
                round(alerts.size() / days),
                byDetector,
                byKeyType,
                byDay,
                top,
                noisiest);
    }

    /** Median and 90th percentile (R-7, linear interpolation) of delays in ms; nulls if none. */
    static Delay delay(List<Long> delays) {
        if (delays.isEmpty()) {
            return new Delay(0, null, null);
        }
        double[] values = delays.stream().mapToDouble(Long::doubleValue).sorted().toArray();
        Percentile percentile = new Percentile().withEstimationType(EstimationType.R_7);
        return new Delay(
                values.length,
                round(percentile.evaluate(values, 50)),
                round(percentile.evaluate(values, 90)));
    }

    /** Days of replayed event time: last − first event, at least one hour. */
    static double days(InputStats in) {
        long span = in.events == 0 ? 0 : in.maxEventTime - in.minEventTime;
        return Math.max(span, HOUR_MILLIS) / (double) DAY_MILLIS;
    }

    static String keyId(String keyType, String key) {
        return keyType + "\u0000" + key;
    }

    /** Rounds to 6 significant decimals so that figures print stably. */
    static double round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(6)).doubleValue();
    }
}
