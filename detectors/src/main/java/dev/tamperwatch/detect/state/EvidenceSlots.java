package dev.tamperwatch.detect.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;

/**
 * A bounded list of event ids kept as evidence for a window, each with an integer tag (what the
 * event was, e.g. refused or which tool), in arrival order. When full, a new event replaces the
 * lowest-scoring one if it scores higher, so the list drifts towards the most telling events.
 */
public final class EvidenceSlots {

    /** How many event ids a window keeps. */
    public static final int CAPACITY = 8;

    private final String[] ids = new String[CAPACITY];
    private final int[] tags = new int[CAPACITY];
    private int size;

    /** Scores of the slots during one {@link #offer}; not part of the state. */
    private final double[] scores = new double[CAPACITY];

    /**
     * Offers one event; ids that are not {@linkplain EventIds#storable storable} are ignored.
     *
     * @param tagScore how telling an event with a given tag is right now; higher wins. It must
     *     depend on the tag alone: it is called once per distinct tag
     */
    public void offer(String eventId, int tag, IntToDoubleFunction tagScore) {
        if (!EventIds.storable(eventId)) {
            return;
        }
        if (size == CAPACITY) {
            int weakest = 0;
            double weakestScore = Double.POSITIVE_INFINITY;
            for (int i = 0; i < CAPACITY; i++) {
                double score = scoreOf(i, tagScore);
                scores[i] = score;
                if (score < weakestScore) {
                    weakest = i;
                    weakestScore = score;
                }
            }
            if (!(weakestScore < offeredScore(tag, tagScore))) {
                return;
            }
            System.arraycopy(ids, weakest + 1, ids, weakest, CAPACITY - 1 - weakest);
            System.arraycopy(tags, weakest + 1, tags, weakest, CAPACITY - 1 - weakest);
            size--;
        }
        ids[size] = eventId;
        tags[size] = tag;
        size++;
    }

    /** Score of slot {@code i}, reusing that of an earlier slot with the same tag. */
    private double scoreOf(int i, IntToDoubleFunction tagScore) {
        for (int j = 0; j < i; j++) {
            if (tags[j] == tags[i]) {
                return scores[j];
            }
        }
        return tagScore.applyAsDouble(tags[i]);
    }

    /** Score of {@code tag} once every slot is scored. */
    private double offeredScore(int tag, IntToDoubleFunction tagScore) {
        for (int j = 0; j < CAPACITY; j++) {
            if (tags[j] == tag) {
                return scores[j];
            }
        }
        return tagScore.applyAsDouble(tag);
    }

    /** Ids whose tag passes {@code filter}, oldest first. */
    public List<String> ids(IntPredicate filter) {
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (filter.test(tags[i])) {
                selected.add(ids[i]);
            }
        }
        return selected;
    }

    /** Gives every slot tagged {@code from} the tag {@code to}. */
    public void retag(int from, int to) {
        for (int i = 0; i < size; i++) {
            if (tags[i] == from) {
                tags[i] = to;
            }
        }
    }

    public void clear() {
        Arrays.fill(ids, 0, size, null);
        size = 0;
    }

    public int size() {
        return size;
    }

    public void writeTo(StateWriter out) {
        out.writeVarLong(size);
        for (int i = 0; i < size; i++) {
            out.writeSignedVarLong(tags[i]);
            out.writeEventId(ids[i]);
        }
    }

    public static EvidenceSlots readFrom(StateReader in) {
        EvidenceSlots slots = new EvidenceSlots();
        int count = in.readCount(CAPACITY);
        for (int i = 0; i < count; i++) {
            long tag = in.readSignedVarLong();
            if (tag != (int) tag) {
                throw new IllegalArgumentException("evidence tag out of range: " + tag);
            }
            slots.tags[i] = (int) tag;
            slots.ids[i] = in.readEventId();
            slots.size++;
        }
        return slots;
    }
}
