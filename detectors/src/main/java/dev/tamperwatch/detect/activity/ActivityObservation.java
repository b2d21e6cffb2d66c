package dev.tamperwatch.detect.activity;

/**
 * One event of the key whose activity is counted.
 *
 * @param eventId id of the event, kept as evidence; may be null
 */
public record ActivityObservation(String eventId) {}
