package dev.tamperwatch.job.backtest;

import java.util.List;

/**
 * One labelled attack: every label line with its incident id.
 *
 * @param id the incident id
 * @param scenario the kind of attack
 * @param labels the attacked entities and windows, in file order; at least one
 * @param start the earliest label start, epoch ms
 * @param end the latest label end, epoch ms
 */
public record Incident(
        String id, String scenario, List<IncidentLabel> labels, long start, long end) {

    public Incident {
        labels = List.copyOf(labels);
    }

    /** Groups labels by incident id, in order of first appearance. */
    public static List<Incident> of(List<IncidentLabel> labels) {
        java.util.Map<String, List<IncidentLabel>> byId = new java.util.LinkedHashMap<>();
        for (IncidentLabel label : labels) {
            byId.computeIfAbsent(label.incidentId(), id -> new java.util.ArrayList<>()).add(label);
        }
        return byId.values().stream()
                .map(
                        group ->
                                new Incident(
                                        group.get(0).incidentId(),
                                        group.get(0).scenario(),
                                        group,
                                        group.stream()
                                                .mapToLong(IncidentLabel::start)
                                                .min()
                                                .orElseThrow(),
                                        group.stream()
                                                .mapToLong(IncidentLabel::end)
                                                .max()
                                                .orElseThrow()))
                .toList();
    }
}
