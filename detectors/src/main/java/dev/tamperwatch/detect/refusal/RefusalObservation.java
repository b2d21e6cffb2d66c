package dev.tamperwatch.detect.refusal;

/**
 * One model output: whether the model refused.
 *
 * @param refused whether the output was a refusal
 * @param eventId id of the output event, kept as evidence; may be null
 */
public record RefusalObservation(boolean refused, String eventId) {}
