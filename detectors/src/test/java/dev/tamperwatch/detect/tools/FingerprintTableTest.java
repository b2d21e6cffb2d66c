package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import org.junit.jupiter.api.Test;

class FingerprintTableTest {

    private static FingerprintTable learned(int... fingerprintsAndCounts) {
        FingerprintTable table = new FingerprintTable();
        for (int i = 0; i < fingerprintsAndCounts.length; i += 2) {
            table.insertFresh(fingerprintsAndCounts[i], Integer.MAX_VALUE);
            for (int c = 1; c < fingerprintsAndCounts[i + 1]; c++) {
                table.increment(table.size() - 1);
            }
        }
        table.closeWindow(true);
        return table;
    }

    @Test
    void aFullTableDisplacesTheRarestEntryFreshOnesFirst() {
        FingerprintTable table = learned(10, 5, 11, 1, 12, 3);
        assertThat(table.insertFresh(13, 4)).isEqualTo(FingerprintTable.STORED);
        assertThat(table.insertFresh(14, 4))
                .as("13 (fresh, seen once) goes before 11 (learned, seen once)")
                .isEqualTo(FingerprintTable.DISPLACED_FRESH);
        assertThat(table.indexOf(13)).isEqualTo(-1);
        table.increment(table.indexOf(14));
        assertThat(table.insertFresh(15, 4)).isEqualTo(FingerprintTable.DISPLACED_LEARNED);
        assertThat(table.indexOf(11)).isEqualTo(-1);
        assertThat(table.indexOf(10)).as("the regular entry stays").isNotNegative();
        assertThat(new FingerprintTable().insertFresh(1, 0)).isEqualTo(FingerprintTable.NOT_STORED);
    }

    @Test
    void closingKeepsOrDropsTheFreshEntries() {
        FingerprintTable kept = learned(1, 2, 2, 1);
        kept.insertFresh(3, 8);
        assertThat(kept.learnedSingletons()).as("fresh entries are not learned yet").isEqualTo(1);
        assertThat(kept.closeWindow(true)).isEqualTo(1);
        assertThat(kept.learnedSingletons()).isEqualTo(2);

        FingerprintTable dropped = learned(1, 2, 2, 1);
        dropped.insertFresh(3, 8);
        assertThat(dropped.closeWindow(false)).isZero();
        assertThat(dropped).isEqualTo(learned(1, 2, 2, 1));
    }

    @Test
    void halvingRoundsUpSoNothingSeenIsForgotten() {
        FingerprintTable table = learned(1, 1, 2, 2, 3, 5);
        table.halve();
        assertThat(table).isEqualTo(learned(1, 1, 2, 1, 3, 3));
        assertThat(table.totalCount()).isEqualTo(5);
    }

    @Test
    void roundTripsAndRejectsMalformedInput() {
        FingerprintTable table = learned(-1, 3, 0x7FFF, 1);
        table.insertFresh(0xBEEF, 8);
        StateWriter out = new StateWriter();
        table.writeTo(out, 4);
        byte[] bytes = out.toByteArray();
        assertThat(FingerprintTable.readFrom(new StateReader(bytes, 0), 4, 8)).isEqualTo(table);
        assertThatThrownBy(() -> FingerprintTable.readFrom(new StateReader(bytes, 0), 4, 2))
                .isInstanceOf(IllegalArgumentException.class);

        StateWriter twice = new StateWriter().writeVarLong(2);
        twice.writeByte(0).writeByte(1).writeVarLong(2).writeByte(0).writeByte(1).writeVarLong(2);
        assertThatThrownBy(
                        () ->
                                FingerprintTable.readFrom(
                                        new StateReader(twice.toByteArray(), 0), 2, 8))
                .hasMessageContaining("twice");
        StateWriter zero = new StateWriter().writeVarLong(1).writeByte(0).writeByte(1);
        zero.writeVarLong(0);
        assertThatThrownBy(
                        () ->
                                FingerprintTable.readFrom(
                                        new StateReader(zero.toByteArray(), 0), 2, 8))
                .hasMessageContaining("count");
    }
}
