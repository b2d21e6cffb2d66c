package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.Detector;
import dev.tamperwatch.schema.avro.Event;
import java.util.function.Function;

/**
 * A detector together with the function that extracts its observation from an event.
 *
 * @param detector the baseline model
 * @param observe the observation for this detector, or null when the event does not concern it
 */
public record Binding<I, S>(Detector<I, S> detector, Function<Event, I> observe) {}
