package dev.tamperwatch.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import dev.tamperwatch.job.io.Decoded;
import dev.tamperwatch.job.io.RecordDecoder;
import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.avro.Event;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole pipeline on a MiniCluster over a bounded stream, with generic types disabled. */
class PipelineTest {

    /** Calls of history after which a never-seen tool in a window of 60 calls is improbable. */
    private static final int HISTORY_CALLS = 20_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private final TestEvents events = new TestEvents();
    private final RecordDecoder decoder = new RecordDecoder();
    private final List<Decoded> records = new ArrayList<>();

    @Test
    void alertsOnANovelToolOfAnAgentAndItsUserAndRoutesBadRecordsToDeadLetters() throws Exception {
        String[] tools = {"search_kb", "get_customer", "update_ticket"};
        long t = 1_780_000_000_000L;
        for (int i = 0; i < HISTORY_CALLS; i++, t += 60_000L) {
            add(events.action("agent-1", "u-9", t, tools[i % 3]));
        }
        add(events.action("agent-1", "u-9", t, "export_table"));
        addRaw(new byte[] {1, 2, 3});
        addRaw(
                ("{\"event_id\":\""
                                + events.nextId()
                                + "\",\"event_time\":"
                                + t
                                + ",\"kind\":\"OUTPUT\",\"tenant_id\":\"acme\","
                                + "\"principal\":{\"type\":\"USER\",\"id\":\"u-3\"},"
                                + "\"output_tokens\":-4}")
                        .getBytes(UTF_8));

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // One subtask, so that every key sees its events in order, as a key's events come from
        // one partition of the events topic; the shuffles of a parallel job run in the ITCases.
        env.setParallelism(1);
        PipelineConfig config = PipelineConfig.defaults();
        DataStream<Decoded> input =
                env.fromData(TypeInformation.of(Decoded.class), records.toArray(Decoded[]::new))
                        .assignTimestampsAndWatermarks(Pipeline.watermarks(config));
        Pipeline.Outputs outputs = Pipeline.define(input, config);

        List<String> results = new ArrayList<>();
        outputs.alerts()
                .map(a -> "alert " + a.detector + " " + a.keyType + " " + a.key, Types.STRING)
                .union(
                        outputs.deadLetters()
                                .map(d -> "dead-letter " + d.errorMessage, Types.STRING))
                .executeAndCollect()
                .forEachRemaining(results::add);

        assertThat(results)
                .containsExactlyInAnyOrder(
                        "alert " + ToolCallDistributionDetector.NAME + " agent acme/agent-1",
                        "alert " + ToolCallDistributionDetector.NAME + " principal acme/u-9",
                        "dead-letter <bytes>: neither Avro single-object encoding (0xC3 0x01) nor a"
                                + " JSON object; starts with 0x01",
                        "dead-letter payload.output_tokens: must be >= 0, was -4");
    }

    private void add(Event event) {
        addRaw(EventCodec.encode(event));
    }

    private void addRaw(byte[] value) {
        records.add(decoder.decode(null, value, "tw.events.v1", 0, records.size()));
    }
}
