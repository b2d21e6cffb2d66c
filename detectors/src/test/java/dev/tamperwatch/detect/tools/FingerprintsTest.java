package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
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
    void hashTheUtf8BytesStringGivesIncludingUnpairedSurrogates() {
        String[] values = {
            "naïve", "日本語のツール", "emoji 😀 tool", "lone \ud800 high", "lone \udc00 low", "end \ud83d"
        };
        for (String value : values) {
            assertThat(Fingerprints.of(value)).as(value).isEqualTo(reference(value));
        }
        Random random = new Random(11);
        for (int n = 0; n < 2_000; n++) {
            char[] chars = new char[random.nextInt(12)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) random.nextInt(random.nextBoolean() ? 0x100 : 0x10000);
            }
            String value = new String(chars);
            assertThat(Fingerprints.of(value)).as(value).isEqualTo(reference(value));
        }
    }

    /** The definition: FNV-1a over {@code getBytes(UTF_8)}, then the MurmurHash3 finalizer. */
    private static long reference(String value) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb93fe53e3c4fL;
        return hash ^ hash >>> 33;
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
