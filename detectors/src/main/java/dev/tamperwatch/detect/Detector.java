package dev.tamperwatch.detect;

import java.util.List;

/**
 * A streaming baseline for one key (an identity, an agent, a model): pure update and score math
 * over a compact state the caller stores between calls.
 *
 * <p>Calls for one key arrive in a single thread. Inputs may arrive out of event-time order by up
 * to the caller's watermark bound; a detector must tolerate that and never throw on valid input.
 *
 * @param <I> one observation extracted from an event
 * @param <S> the per-key state, encoded with {@link #codec()}
 */
public interface Detector<I, S> {

    /** Stable name used in alerts and finding ids, e.g. {@code refusal-rate}. */
    String name();

    /** Version of the model math; changes whenever scores for the same input would change. */
    String version();

    /** A fresh state for a key with no history. */
    S newState();

    /**
     * Folds one observation into the state.
     *
     * @param eventTime event time of the observation, epoch milliseconds
     * @return findings raised by this observation, empty when none
     * @throws IllegalArgumentException when the key's baseline cannot take the observation (e.g. an
     *     embedding of another model); the state is then unchanged, so the caller may keep it
     */
    default List<Finding> onEvent(S state, I input, long eventTime) {
        return onEvent(state, input, eventTime, ScoreSink.NONE);
    }

    /**
     * Called when event time (the watermark) has passed {@link #nextDeadline(Object)}: closes
     * windows and scores them.
     *
     * @return findings raised by the closed windows, empty when none
     */
    default List<Finding> onTime(S state, long watermark) {
        return onTime(state, watermark, ScoreSink.NONE);
    }

    /**
     * As {@link #onEvent(Object, Object, long)}, also reporting every score computed to {@code
     * scores}.
     */
    List<Finding> onEvent(S state, I input, long eventTime, ScoreSink scores);

    /** As {@link #onTime(Object, long)}, also reporting every score computed to {@code scores}. */
    List<Finding> onTime(S state, long watermark, ScoreSink scores);

    /**
     * Event time at which {@link #onTime} must next be called, or {@link Long#MAX_VALUE} for never.
     */
    long nextDeadline(S state);

    /**
     * Seeds the state of a key that has no history of its own from its peer group's state (same
     * application, same agent type), so that the key is scored against its peers instead of staying
     * silent through its warm-up. Implementations copy the peers' baseline with a bounded weight,
     * so that the key's own history soon dominates; the default keeps the state as it is.
     *
     * @param peers the state of the detector run over the events of every member of the group as if
     *     they were one key: its per-event statistics are the members', its per-window totals
     *     (counts, sums) those of all members together
     * @param members mean number of members active in a window of the peers' baseline, at least 1:
     *     the factor between the group's totals per window and a member's
     */
    default void seedFromPeers(S state, S peers, double members) {}

    /**
     * Checks the {@code members} of {@link #seedFromPeers}.
     *
     * @throws IllegalArgumentException when it is below 1 or not finite
     */
    static void requireMembers(double members) {
        if (!(members >= 1) || Double.isInfinite(members)) {
            throw new IllegalArgumentException("members must be finite and at least 1: " + members);
        }
    }

    /** Whether the state holds nothing worth keeping, so the caller may drop it. */
    default boolean isEmpty(S state) {
        return false;
    }

    /** The versioned binary form of the state. */
    StateCodec<S> codec();
}
