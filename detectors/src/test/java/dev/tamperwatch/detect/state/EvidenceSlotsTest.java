package dev.tamperwatch.detect.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvidenceSlotsTest {

    @Test
    void keepsArrivalOrderAndReplacesTheWeakestWhenFull() {
        EvidenceSlots slots = new EvidenceSlots();
        for (int i = 0; i < EvidenceSlots.CAPACITY; i++) {
            slots.offer("e" + i, i % 2, tag -> tag);
        }
        slots.offer("late-weak", 0, tag -> tag);
        assertThat(slots.ids(tag -> true)).doesNotContain("late-weak");
        slots.offer("late-strong", 1, tag -> tag);
        assertThat(slots.ids(tag -> true))
                .containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7", "late-strong");
        assertThat(slots.ids(tag -> tag == 1))
                .containsExactly("e1", "e3", "e5", "e7", "late-strong");
    }

    @Test
    void scoresEachDistinctTagOncePerOffer() {
        EvidenceSlots slots = new EvidenceSlots();
        for (int i = 0; i < EvidenceSlots.CAPACITY; i++) {
            slots.offer("e" + i, i % 3, tag -> tag);
        }
        List<Integer> scored = new ArrayList<>();
        slots.offer(
                "late",
                1,
                tag -> {
                    scored.add(tag);
                    return tag;
                });
        assertThat(scored).containsExactly(0, 1, 2);
        assertThat(slots.ids(tag -> true))
                .containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7", "late");
    }

    @Test
    void ignoresMissingAndOversizedIds() {
        EvidenceSlots slots = new EvidenceSlots();
        slots.offer(null, 0, tag -> 0);
        slots.offer("x".repeat(EventIds.MAX_EVENT_ID_BYTES + 1), 0, tag -> 0);
        slots.offer("é".repeat(EventIds.MAX_EVENT_ID_BYTES / 2 + 1), 0, tag -> 0);
        assertThat(slots.size()).isZero();
    }

    @Test
    void retagsAndRoundTrips() {
        EvidenceSlots slots = new EvidenceSlots();
        slots.offer("0d7e2f4c-3b8a-4e51-9c6d-2a1f0e9b7c35", 3, tag -> 0);
        slots.offer("evt-2", 4, tag -> 0);
        slots.retag(3, -1);
        StateWriter out = new StateWriter();
        slots.writeTo(out);
        EvidenceSlots decoded = EvidenceSlots.readFrom(new StateReader(out.toByteArray(), 0));
        assertThat(decoded.ids(tag -> tag == -1))
                .containsExactly("0d7e2f4c-3b8a-4e51-9c6d-2a1f0e9b7c35");
        assertThat(decoded.ids(tag -> tag == 4)).containsExactly("evt-2");
    }
}
