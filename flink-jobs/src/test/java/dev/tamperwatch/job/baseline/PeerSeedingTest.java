package dev.tamperwatch.job.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.detect.activity.ActivityRateDetector;
import dev.tamperwatch.detect.refusal.RefusalRateDetector;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.TestEvents;
import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.schema.avro.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** A key without history is seeded from the peer baseline of its first event's time. */
class PeerSeedingTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long T0 = 1_780_000_000_000L / HOUR * HOUR;
    private static final int PEER_HOURS = 6;
    private static final String GROUP = "acme/crm";

    private final TestEvents events = new TestEvents();
    private final PipelineConfig config = PipelineConfig.defaults().withPeerSeeding(true);

    @Test
    void thePeerGroupPublishesItsBaselinesAndHowManyMembersAWindowCovers() throws Exception {
        List<PeerSnapshot> snapshots = peerSnapshots(0.02);

        assertThat(snapshots).extracting(s -> s.peerKey).containsOnly(GROUP);
        assertThat(snapshots)
                .extracting(s -> s.asOf)
                .as("one set per window the group closed")
                .containsOnly(hoursAfterT0(PEER_HOURS));
        assertThat(snapshots)
                .extracting(s -> s.detector)
                .contains(RefusalRateDetector.NAME, ActivityRateDetector.NAME);
        PeerSnapshot last = snapshots.get(snapshots.size() - 1);
        assertThat(last.asOf).isEqualTo(T0 + PEER_HOURS * HOUR);
        assertThat(last.members).as("four members act every hour").isEqualTo(4.0);
    }

    @Test
    void aNewKeyIsSeededAsOfItsFirstEventWhenEverTheLaterBaselinesArrive() throws Exception {
        PeerSnapshot calm = refusalSnapshot(peerSnapshots(0.02));
        PeerSnapshot later = refusalSnapshot(peerSnapshots(0.5));
        later.asOf = calm.asOf + HOUR;
        long start = calm.asOf + 10 * 60_000L;
        List<Event> jailbroken = newIdentity(start);

        List<AlertRecord> laterFirst = run(List.of(calm, later), jailbroken, List.of());
        List<AlertRecord> laterAfter = run(List.of(calm), jailbroken, List.of(later));
        List<AlertRecord> manyLaterFirst = run(laterOnes(calm, later), jailbroken, List.of());
        List<AlertRecord> unseeded = run(List.of(), jailbroken, List.of());
        later.asOf = calm.asOf;
        List<AlertRecord> seededFromRefusingPeers = run(List.of(later), jailbroken, List.of());

        assertThat(laterFirst)
                .as("a refusal spike against calm peers in the key's first window")
                .hasSize(1)
                .first()
                .satisfies(alert -> assertThat(alert.detector).isEqualTo(RefusalRateDetector.NAME));
        assertThat(laterAfter)
                .extracting(a -> a.json)
                .isEqualTo(laterFirst.stream().map(a -> a.json).toList());
        assertThat(manyLaterFirst)
                .as("20 later baselines arriving before the key's first event")
                .extracting(a -> a.json)
                .isEqualTo(laterFirst.stream().map(a -> a.json).toList());
        assertThat(unseeded).as("without peers the key is still warming up").isEmpty();
        assertThat(seededFromRefusingPeers)
                .as("the seed is the peers' as of the first event")
                .isEmpty();
    }

    @Test
    void theGroupFoldsItsMembersEventsInEventTimeOrderWhateverOrderTheyArriveIn() throws Exception {
        // Each hour ends with ten refusals: where they are counted shows in the state.
        List<List<Event>> hours = groupHours((hour, i) -> i >= 190);
        // A lagging partition: an hour's last ten outputs arrive after the next hour's first.
        List<List<Event>> interleaved = new ArrayList<>();
        for (int hour = 1; hour <= PEER_HOURS; hour++) {
            List<Event> batch = new ArrayList<>();
            if (hour == 1) {
                batch.addAll(hours.get(0).subList(0, 190));
            }
            if (hour < PEER_HOURS) {
                batch.addAll(hours.get(hour).subList(0, 190));
            }
            batch.addAll(hours.get(hour - 1).subList(190, 200));
            interleaved.add(batch);
        }

        List<PeerSnapshot> ordered = peerSnapshots(hours);
        List<PeerSnapshot> arrived = peerSnapshots(interleaved);

        assertThat(ordered).extracting(s -> s.asOf).containsOnly(hoursAfterT0(PEER_HOURS));
        assertThat(arrived).hasSameSizeAs(ordered);
        for (int i = 0; i < ordered.size(); i++) {
            assertThat(arrived.get(i).asOf).isEqualTo(ordered.get(i).asOf);
            assertThat(arrived.get(i).state)
                    .as("%s as of %s", ordered.get(i).detector, ordered.get(i).asOf)
                    .isEqualTo(ordered.get(i).state);
        }
    }

    /** {@code calm}, then {@code later}'s baseline as of each of the next 20 hours. */
    private static List<PeerSnapshot> laterOnes(PeerSnapshot calm, PeerSnapshot later) {
        List<PeerSnapshot> snapshots = new ArrayList<>(List.of(calm));
        for (int hour = 1; hour <= 20; hour++) {
            snapshots.add(
                    new PeerSnapshot(
                            later.peerKey,
                            later.detector,
                            calm.asOf + hour * HOUR,
                            later.members,
                            later.state));
        }
        return snapshots;
    }

    /** The identity's first hour in the group: 20 outputs, three in four refused. */
    private List<Event> newIdentity(long start) {
        List<Event> first = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            first.add(inGroup(events.output("u-new", start + i * 2 * 60_000L, i % 4 != 0)));
        }
        return first;
    }

    private List<AlertRecord> run(
            List<PeerSnapshot> before, List<Event> keyEvents, List<PeerSnapshot> after)
            throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Event, PeerSnapshot, AlertRecord> harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new BaselineFunction(Subject.PRINCIPAL, config),
                        Subject.PRINCIPAL::keyOf,
                        Types.STRING,
                        BaselineFunction.PEERS)) {
            harness.open();
            for (PeerSnapshot snapshot : before) {
                harness.processBroadcastElement(snapshot, snapshot.asOf);
            }
            for (Event event : keyEvents) {
                harness.processElement(event, event.getEventTime().toEpochMilli());
            }
            assertThat(harness.extractOutputValues()).as("held until the watermark").isEmpty();
            for (PeerSnapshot snapshot : after) {
                harness.processBroadcastElement(snapshot, snapshot.asOf);
            }
            long end = keyEvents.get(keyEvents.size() - 1).getEventTime().toEpochMilli();
            harness.watermark(end - end % HOUR + HOUR);
            return harness.extractOutputValues();
        }
    }

    /** The group's snapshots over {@link #PEER_HOURS} hours of four members' outputs. */
    private List<PeerSnapshot> peerSnapshots(double refusalRate) throws Exception {
        int every = (int) Math.round(1 / refusalRate);
        return peerSnapshots(groupHours((hour, i) -> (hour * 200 + i) % every == 0));
    }

    /** Four members' 200 outputs in each of {@link #PEER_HOURS} hours, refused where told. */
    private List<List<Event>> groupHours(BiPredicate<Integer, Integer> refusedAt) {
        List<List<Event>> hours = new ArrayList<>();
        for (int hour = 0; hour < PEER_HOURS; hour++) {
            List<Event> outputs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long time = T0 + hour * HOUR + i * 18_000L;
                outputs.add(inGroup(events.output("u-" + i % 4, time, refusedAt.test(hour, i))));
            }
            hours.add(outputs);
        }
        return hours;
    }

    /**
     * The group's snapshots of {@code batches} fed in that order, the watermark reaching the end of
     * hour k after the k-th batch.
     */
    private List<PeerSnapshot> peerSnapshots(List<List<Event>> batches) throws Exception {
        try (var harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new PeerBaselineFunction(Subject.PRINCIPAL, config),
                        Subject.PRINCIPAL::peerKeyOf,
                        Types.STRING)) {
            harness.open();
            for (int k = 0; k < batches.size(); k++) {
                for (Event output : batches.get(k)) {
                    harness.processElement(output, output.getEventTime().toEpochMilli());
                }
                harness.processWatermark(T0 + (k + 1) * HOUR);
            }
            return harness.extractOutputValues();
        }
    }

    private static PeerSnapshot refusalSnapshot(List<PeerSnapshot> snapshots) {
        return snapshots.stream()
                .filter(s -> s.detector.equals(RefusalRateDetector.NAME))
                .reduce((first, second) -> second)
                .orElseThrow();
    }

    private static Long[] hoursAfterT0(int hours) {
        Long[] times = new Long[hours];
        for (int h = 1; h <= hours; h++) {
            times[h - 1] = T0 + h * HOUR;
        }
        return times;
    }

    private static Event inGroup(Event event) {
        event.setApplicationId("crm");
        return event;
    }
}
