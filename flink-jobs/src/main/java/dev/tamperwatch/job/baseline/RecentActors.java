package dev.tamperwatch.job.baseline;

/**
 * The actors of a key's latest event and of its latest event in an earlier window, by event time,
 * so that a finding about a window names whoever acted last in it however late its timer fires
 * after the key moved on. A Flink POJO kept in keyed state.
 *
 * <p>Which events arrived before a timer varies from run to run; the actor named does not, unless
 * the key's events ran two windows past the window's end before its timer fired.
 */
public class RecentActors {

    /** Actor of the latest event, by event time. */
    public Actor latest;

    /** Actor of the latest event in a window before {@link #latest}'s, or null. */
    public Actor earlier;

    public RecentActors() {}

    /** Takes in the actor of an event, {@code windowSize} being the length of the windows. */
    void see(Actor actor, long windowSize) {
        if (latest == null) {
            latest = actor;
        } else if (actor.time >= latest.time) {
            if (window(actor, windowSize) > window(latest, windowSize)) {
                earlier = latest;
            }
            latest = actor;
        } else if (window(actor, windowSize) < window(latest, windowSize)
                && (earlier == null || actor.time >= earlier.time)) {
            earlier = actor;
        }
    }

    /** The actor of the latest event before {@code time}, or failing that the latest; or null. */
    Actor before(long time) {
        if (latest == null || latest.time < time || earlier == null || earlier.time >= time) {
            return latest;
        }
        return earlier;
    }

    private static long window(Actor actor, long windowSize) {
        return Math.floorDiv(actor.time, windowSize);
    }
}
