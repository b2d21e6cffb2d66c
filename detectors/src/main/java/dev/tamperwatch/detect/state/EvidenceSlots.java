package dev.tamperwatch.detect.state;

import java.util.ArrayList;
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

    private final List<String> ids = new ArrayList<>(CAPACITY);
    private final List<Integer> tags = new ArrayList<>(CAPACITY);

    /**
     * Offers one event; ids that are not {@linkplain EventIds#storable storable} are ignored.
     *
     * @param tagScore how telling an event with a given tag is right now; higher wins
     */
    public void offer(String eventId, int tag, IntToDoubleFunction tagScore) {
        if (!EventIds.storable(eventId)) {
            return;
        }
        if (ids.size() == CAPACITY) {
            int weakest = 0;
            double weakestScore = Double.POSITIVE_INFINITY;
            for (int i = 0; i < CAPACITY; i++) {
                double score = tagScore.applyAsDouble(tags.get(i));
                if (score < weakestScore) {
                    weakest = i;
                    weakestScore = score;
                }
            }
            if (!(weakestScore < tagScore.applyAsDouble(tag))) {
                return;
            }
            ids.remove(weakest);
            tags.remove(weakest);
        }
        ids.add(eventId);
        tags.add(tag);
    }

    /** Ids whose tag passes {@code filter}, oldest first. */
    public List<String> ids(IntPredicate filter) {
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (filter.test(tags.get(i))) {
                selected.add(ids.get(i));
            }
        }
        return selected;
    }

    /** Gives every slot tagged {@code from} the tag {@code to}. */
    public void retag(int from, int to) {
        tags.replaceAll(tag -> tag == from ? to : tag);
    }

    public void clear() {
        ids.clear();
        tags.clear();
    }

    public int size() {
        return ids.size();
    }

    public void writeTo(StateWriter out) {
        out.writeVarLong(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.writeSignedVarLong(tags.get(i));
            out.writeEventId(ids.get(i));
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
            slots.tags.add((int) tag);
            slots.ids.add(in.readEventId());
        }
        return slots;
    }
}
