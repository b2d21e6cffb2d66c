package dev.tamperwatch.load.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.job.io.Decoded;
import dev.tamperwatch.load.TrafficGenerator;
import dev.tamperwatch.load.TrafficProfile;
import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.avro.Event;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class EncodedEventsSourceTest {

    @Test
    void storeKeepsEveryEventInWireForm() throws Exception {
        List<Event> events = events(500);
        EncodedEvents store = EncodedEvents.encode(events.iterator(), 1_000);

        assertThat(store.size()).isEqualTo(500);
        assertThat(EventCodec.decode(store.get(499))).isEqualTo(events.get(499));
        assertThat(store.totalBytes())
                .isEqualTo(events.stream().mapToLong(e -> EventCodec.encode(e).length).sum());
    }

    @Test
    void readsEveryEventExactlyOnceAcrossStridedSplits() throws Exception {
        List<Event> events = events(1_001);
        String id = EncodedEvents.register(EncodedEvents.encode(events.iterator(), events.size()));
        try {
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(3, conf);
            List<String> ids = new ArrayList<>();
            env.fromSource(
                            new EncodedEventsSource(id),
                            WatermarkStrategy.<Decoded>noWatermarks(),
                            "encoded events")
                    .map(d -> d.isValid() ? d.event.getEventId() : "invalid", Types.STRING)
                    .executeAndCollect()
                    .forEachRemaining(ids::add);

            assertThat(ids)
                    .containsExactlyInAnyOrderElementsOf(
                            events.stream().map(Event::getEventId).toList());
            assertThat(EncodedEvents.lookUp(id).firstReadNanos()).isNotEqualTo(Long.MIN_VALUE);
        } finally {
            EncodedEvents.unregister(id);
        }
    }

    private static List<Event> events(int count) {
        Iterator<Event> stream = new TrafficGenerator(TrafficProfile.defaults(3)).events();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(stream.next());
        }
        return events;
    }
}
