package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Fingerprints are stored in state, so their values are pinned. */
class FingerprintsTest {

    @Test
    void valuesArePinned() {
        assertThat(Fingerprints.of("send_email")).isEqualTo(0xf04707d8a1fe8810L);
        assertThat(Fingerprints.of("")).isEqualTo(0xddd4b36d0cb38cf8L);
        assertThat(Fingerprints.of32("send_email")).isEqualTo(0xf04707d8);
        assertThat(Fingerprints.of16("mark.black-2134@gmail.com")).isEqualTo(0xb8cd);
        assertThat(Fingerprints.pair(1, 2)).isEqualTo(0x98984ed3);
        assertThat(RunTable.RUN_START).isEqualTo(0x1f0d5cd9);
    }

    @Test
    void pairsAreOrdered() {
        assertThat(Fingerprints.pair(1, 2)).isNotEqualTo(Fingerprints.pair(2, 1));
        assertThat(Fingerprints.pair(7, 7)).isNotEqualTo(Fingerprints.pair(7, 8));
    }

    @Test
    void sixteenBitFingerprintsSpreadEvenly() {
        int[] buckets = new int[16];
        for (int i = 0; i < 160_000; i++) {
            buckets[Fingerprints.of16("user" + i + "@example.com") >>> 12]++;
        }
        for (int count : buckets) {
            assertThat(count).as("10,000 expected per bucket, 4.5 sigma").isBetween(9_550, 10_450);
        }
    }
}
