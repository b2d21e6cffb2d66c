package dev.tamperwatch.detect.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StateWriterReaderTest {

    @Test
    void primitivesRoundTrip() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            long unsigned = random.nextLong() >>> random.nextInt(64);
            long signed = random.nextLong() >> random.nextInt(64);
            double real = random.nextDouble() * 1e6;
            float single = (float) random.nextDouble();
            byte[] bytes =
                    new StateWriter()
                            .writeVarLong(unsigned)
                            .writeSignedVarLong(signed)
                            .writeDouble(real)
                            .writeFloat(single)
                            .writeString("tool-ü-" + i)
                            .toByteArray();
            StateReader in = new StateReader(bytes, 0);
            assertThat(in.readVarLong()).isEqualTo(unsigned);
            assertThat(in.readSignedVarLong()).isEqualTo(signed);
            assertThat(in.readDouble()).isEqualTo(real);
            assertThat(in.readFloat()).isEqualTo(single);
            assertThat(in.readString()).isEqualTo("tool-ü-" + i);
            in.expectEnd();
        }
    }

    @Test
    void variableLengthIntegersAreCompact() {
        assertThat(new StateWriter().writeVarLong(127).toByteArray()).hasSize(1);
        assertThat(new StateWriter().writeVarLong(128).toByteArray()).hasSize(2);
        assertThat(new StateWriter().writeSignedVarLong(-1).toByteArray()).containsExactly(1);
        assertThat(new StateWriter().writeVarLong(-1).toByteArray()).hasSize(10);
    }

    @Test
    void canonicalUuidsTakeSeventeenBytesAndOtherIdsStayVerbatim() {
        String uuid = "0d7e2f4c-3b8a-4e51-9c6d-2a1f0e9b7c35";
        String upper = uuid.toUpperCase();
        byte[] bytes =
                new StateWriter()
                        .writeEventId(uuid)
                        .writeEventId(upper)
                        .writeEventId("evt-42")
                        .toByteArray();
        assertThat(bytes).hasSize(17 + 37 + 7);
        StateReader in = new StateReader(bytes, 0);
        assertThat(in.readEventId()).isEqualTo(uuid);
        assertThat(in.readEventId()).isEqualTo(upper);
        assertThat(in.readEventId()).isEqualTo("evt-42");
        in.expectEnd();
    }

    @Test
    void truncatedOrTrailingInputIsRejected() {
        byte[] bytes = new StateWriter().writeDouble(1.5).toByteArray();
        StateReader truncated = new StateReader(java.util.Arrays.copyOf(bytes, 5), 0);
        assertThatThrownBy(truncated::readDouble)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        StateReader trailing = new StateReader(bytes, 0);
        trailing.readFloat();
        assertThatThrownBy(trailing::expectEnd).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StateReader(new byte[] {5}, 0).readCount(4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
