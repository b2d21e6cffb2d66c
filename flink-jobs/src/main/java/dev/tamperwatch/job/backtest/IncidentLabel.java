package dev.tamperwatch.job.backtest;

import java.util.List;
import java.util.Locale;

/**
 * One line of a labels file: an attacked entity and the window of the attack. Several lines may
 * share an incident id (e.g. the hijacked agent and each hijacked trace of one prompt injection).
 *
 * @param incidentId the attack this label belongs to
 * @param scenario the kind of attack, e.g. {@code jailbreak-campaign}
 * @param keyType what {@code key} names
 * @param key {@code tenant/principal}, {@code tenant/agent}, {@code tenant/trace_id} or {@code
 *     tenant/application_id}
 * @param start first instant of the attack, epoch ms, inclusive
 * @param end last instant of the attack, epoch ms, inclusive; not before {@code start}
 * @param line 1-based line of the labels file
 */
public record IncidentLabel(
        String incidentId,
        String scenario,
        KeyType keyType,
        String key,
        long start,
        long end,
        long line) {

    /** The kinds of entity a label can name. */
    public enum KeyType {
        PRINCIPAL,
        AGENT,
        MODEL,
        TRACE,
        APPLICATION;

        /** The lower-case name used in labels and alerts. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The key type with that JSON name, or null. */
        public static KeyType ofJsonName(String name) {
            for (KeyType type : values()) {
                if (type.jsonName().equals(name)) {
                    return type;
                }
            }
            return null;
        }

        /** The JSON names, in declaration order. */
        public static List<String> jsonNames() {
            return java.util.Arrays.stream(values()).map(KeyType::jsonName).toList();
        }
    }
}
