package dev.tamperwatch.job.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerHistoryTest {

    private static PeerHistory.Baseline at(long asOf, int value) {
        return new PeerHistory.Baseline(asOf, value + 0.5, state(value));
    }

    private static byte[] state(int value) {
        return new byte[] {(byte) value};
    }

    private static byte[] stateAt(byte[] history, long time) {
        PeerHistory.Baseline baseline = PeerHistory.latestAtOrBefore(history, time);
        return baseline == null ? null : baseline.state();
    }

    @Test
    void theLatestBaselineAtOrBeforeATimeIsFoundWhateverTheOrderOfArrival() {
        byte[] inOrder = null;
        for (int t = 1; t <= 3; t++) {
            inOrder = PeerHistory.with(inOrder, at(t * 100L, t), Long.MIN_VALUE);
        }
        byte[] shuffled = PeerHistory.with(null, at(300, 3), Long.MIN_VALUE);
        shuffled = PeerHistory.with(shuffled, at(100, 1), Long.MIN_VALUE);
        shuffled = PeerHistory.with(shuffled, at(200, 2), Long.MIN_VALUE);

        assertThat(shuffled).isEqualTo(inOrder);
        assertThat(stateAt(inOrder, 99)).isNull();
        assertThat(stateAt(inOrder, 100)).isEqualTo(state(1));
        assertThat(stateAt(inOrder, 299)).isEqualTo(state(2));
        assertThat(stateAt(inOrder, Long.MAX_VALUE)).isEqualTo(state(3));
        assertThat(PeerHistory.latestAtOrBefore(inOrder, 250).members()).isEqualTo(2.5);
        assertThat(stateAt(null, 500)).isNull();
    }

    @Test
    void baselinesStayUntilALaterOneCoversEveryTimeStillAskedFor() {
        byte[] history = null;
        for (int t = 1; t <= 10; t++) {
            history = PeerHistory.with(history, at(t * 100L, t), Long.MIN_VALUE);
        }
        assertThat(stateAt(history, 100))
                .as("nothing asked about yet is dropped")
                .isEqualTo(state(1));

        history = PeerHistory.with(history, at(1_100, 11), 450);

        assertThat(stateAt(history, 399)).as("no longer asked for").isNull();
        assertThat(stateAt(history, 450))
                .as("still covers the earliest time asked")
                .isEqualTo(state(4));
        assertThat(stateAt(history, 1_000)).isEqualTo(state(10));
        assertThat(stateAt(history, 1_100)).isEqualTo(state(11));
    }

    @Test
    void atMostTheCapacityIsKeptAndATimeTakenAgainIsReplaced() {
        byte[] history = null;
        for (int t = 1; t <= PeerHistory.CAPACITY + 2; t++) {
            history = PeerHistory.with(history, at(t, t), Long.MIN_VALUE);
        }
        history = PeerHistory.with(history, at(PeerHistory.CAPACITY + 2, 99), Long.MIN_VALUE);

        assertThat(stateAt(history, 2)).as("dropped").isNull();
        assertThat(stateAt(history, 3)).isEqualTo(state(3));
        assertThat(stateAt(history, Long.MAX_VALUE)).isEqualTo(state(99));
    }

    @Test
    void anUnknownLayoutIsReportedClearly() {
        assertThatThrownBy(() -> PeerHistory.latestAtOrBefore(new byte[] {7, 0, 0, 0, 0}, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("peer history version 7 unknown");
        assertThatThrownBy(() -> PeerHistory.latestAtOrBefore(new byte[] {1, 0, 0, 0, 1}, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("corrupt peer history");
    }
}
