package dev.tamperwatch.job.baseline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tamperwatch.detect.activity.ActivityRateDetector;
import dev.tamperwatch.detect.refusal.RefusalRateDetector;
import dev.tamperwatch.detect.tools.ToolCallDistributionDetector;
import dev.tamperwatch.job.PipelineConfig;
import dev.tamperwatch.job.TestEvents;
import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.job.io.DeadLetterRecord;
import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.ModelRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class BaselineFunctionTest {

    /** Calls of history after which a never-seen tool in a window of 60 calls is improbable. */
    private static final int HISTORY_CALLS = 20_000;

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long T0 = 1_780_000_000_000L / HOUR * HOUR;

    private final TestEvents events = new TestEvents();

    @Test
    void refusalSpikeClosesItsWindowOnTheWatermarkAndAlertsOnce() throws Exception {
        try (var harness = harness(Subject.PRINCIPAL, PipelineConfig.defaults())) {
            long t = T0;
            for (int hour = 0; hour < 12; hour++, t += HOUR) {
                for (int i = 0; i < 20; i++) {
                    send(harness, events.output("u-1", t + i * 60_000L, i == 7 && hour % 2 == 0));
                }
                harness.watermark(t + HOUR);
            }
            assertThat(harness.extractOutputValues()).isEmpty();

            for (int i = 0; i < 20; i++) {
                send(harness, events.output("u-1", t + i * 60_000L, i % 4 != 0));
            }
            assertThat(harness.extractOutputValues())
                    .as("nothing before the window closes")
                    .isEmpty();
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);

            harness.watermark(t + HOUR);

            List<AlertRecord> alerts = harness.extractOutputValues();
            assertThat(alerts).hasSize(1);
            AlertRecord alert = alerts.get(0);
            assertThat(alert.detector).isEqualTo(RefusalRateDetector.NAME);
            assertThat(alert.keyType).isEqualTo("principal");
            assertThat(alert.key).isEqualTo("acme/u-1");
            assertThat(alert.time).isEqualTo(t + HOUR);
            JsonNode json = new ObjectMapper().readTree(alert.json);
            assertThat(json.path("class_uid").asInt()).isEqualTo(2004);
            assertThat(json.path("actor").path("user").path("uid").asText()).isEqualTo("u-1");
            assertThat(json.path("finding_info").path("related_events")).isNotEmpty();
            assertThat(json.path("anomaly_analyses").get(0).path("baselines")).isNotEmpty();
        }
    }

    @Test
    void novelToolAlertsOnTheCallItselfAndNamesTheAgentAndItsUser() throws Exception {
        try (var harness = harness(Subject.AGENT, PipelineConfig.defaults())) {
            String[] tools = {"search_kb", "get_customer", "update_ticket"};
            long t = T0;
            for (int i = 0; i < HISTORY_CALLS; i++, t += 60_000L) {
                send(harness, events.action("agent-1", "u-9", t, tools[i % 3]));
                harness.watermark(t - 60_000L);
            }
            assertThat(harness.extractOutputValues()).isEmpty();

            send(harness, events.action("agent-1", "u-9", t, "export_table"));

            List<AlertRecord> alerts = harness.extractOutputValues();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).detector).isEqualTo(ToolCallDistributionDetector.NAME);
            assertThat(alerts.get(0).key).isEqualTo("acme/agent-1");
            assertThat(alerts.get(0).time).isEqualTo(t);
            JsonNode json = new ObjectMapper().readTree(alerts.get(0).json);
            assertThat(
                            json.path("unmapped")
                                    .path("tamperwatch")
                                    .path("on_behalf_of")
                                    .path("id")
                                    .asText())
                    .isEqualTo("u-9");
            assertThat(json.path("message").asText()).contains("export_table");
        }
    }

    @Test
    void eventsMoreThanAWindowBehindTheWatermarkLeaveUnscoredAsDeadLetters() throws Exception {
        try (var harness = harness(Subject.PRINCIPAL, PipelineConfig.defaults())) {
            long t = T0;
            for (int hour = 0; hour < 36; hour++, t += HOUR) {
                send(harness, events.output("u-1", t, false));
                send(harness, events.output("u-1", t + 60_000L, false));
                harness.watermark(t + HOUR);
            }
            // The partition holding u-1 stalled while the others moved the watermark on.
            harness.watermark(t + 48 * HOUR);
            for (int i = 0; i < 68; i++) {
                send(harness, events.output("u-1", t + i * 30_000L, false));
            }
            harness.watermark(t + 50 * HOUR);

            assertThat(harness.extractOutputValues())
                    .as("the stalled events are no burst of now")
                    .noneMatch(alert -> alert.detector.equals(ActivityRateDetector.NAME));
            List<DeadLetterRecord> late =
                    harness.getSideOutput(BaselineFunction.LATE).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(late).hasSize(68);
            assertThat(late.get(0).errorClass).isEqualTo("LateEvent");
            assertThat(late.get(0).errorMessage)
                    .contains("is PT48H behind the identity baselines' watermark")
                    .endsWith("; not scored");
            assertThat(new String(late.get(0).key, UTF_8)).isEqualTo("acme/u-1");
            assertThat(EventCodec.decode(late.get(0).value).getEventTime().toEpochMilli())
                    .isEqualTo(t);

            send(harness, events.output("u-1", t + 50 * HOUR - HOUR / 2, false));
            assertThat(harness.getSideOutput(BaselineFunction.LATE))
                    .as("less than a window behind: scored")
                    .hasSize(68);
        }
    }

    @Test
    void aModelScoresItsEventsInEventTimeOrderOnceTheWatermarkPassesThem() throws Exception {
        List<List<Event>> hours = new ArrayList<>();
        for (int hour = 0; hour < 13; hour++) {
            List<Event> window = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                boolean refused = hour == 12 ? i % 4 != 0 : i == 7 && hour % 2 == 0;
                window.add(modelOutput(T0 + hour * HOUR + i * 90_000L, refused));
            }
            hours.add(window);
        }
        try (var harness = harness(Subject.MODEL, PipelineConfig.defaults())) {
            for (int hour = 0; hour < 13; hour++) {
                // Two partitions read a fetch at a time: the next hour's first outputs arrive
                // before this hour's last ones.
                List<Event> window = hours.get(hour);
                for (Event event : window.subList(hour == 0 ? 0 : 10, 30)) {
                    send(harness, event);
                }
                if (hour < 12) {
                    for (Event event : hours.get(hour + 1).subList(0, 10)) {
                        send(harness, event);
                    }
                }
                for (Event event : window.subList(30, 40)) {
                    send(harness, event);
                }
                assertThat(harness.extractOutputValues())
                        .as("nothing is scored before the watermark passes it")
                        .isEmpty();
                if (hour < 12) {
                    harness.watermark(T0 + (hour + 1) * HOUR);
                }
            }
            long spikeEnd = T0 + 13 * HOUR;
            harness.watermark(spikeEnd);

            List<AlertRecord> alerts = harness.extractOutputValues();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).detector).isEqualTo(RefusalRateDetector.NAME);
            assertThat(alerts.get(0).keyType).isEqualTo("model");
            assertThat(alerts.get(0).time).isEqualTo(spikeEnd);
            JsonNode json = new ObjectMapper().readTree(alerts.get(0).json);
            assertThat(json.at("/evidences/0/data/observed").asDouble())
                    .as("the window holds exactly its own 40 outputs, 30 of them refused")
                    .isEqualTo(0.75);
        }
    }

    private Event modelOutput(long time, boolean refused) {
        Event event = events.output("u-" + (time / 60_000L % 5), time, refused);
        event.setModel(new ModelRef("openai", "gpt-4o", null, null, null));
        return event;
    }

    @Test
    void baselinesExpireAfterTheirTimeToLive() throws Exception {
        PipelineConfig config = PipelineConfig.defaults();
        try (var harness = harness(Subject.PRINCIPAL, config)) {
            harness.setStateTtlProcessingTime(0);
            long t = T0;
            for (int hour = 0; hour < 12; hour++, t += HOUR) {
                for (int i = 0; i < 20; i++) {
                    send(harness, events.output("u-1", t + i * 60_000L, i == 7));
                }
                harness.watermark(t + HOUR);
            }
            harness.setStateTtlProcessingTime(config.stateTtl().toMillis() + 1);

            for (int i = 0; i < 20; i++) {
                send(harness, events.output("u-1", t + i * 60_000L, true));
            }
            harness.watermark(t + HOUR);

            assertThat(harness.extractOutputValues())
                    .as("an expired baseline starts over and is still warming up")
                    .isEmpty();
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, Event, PeerSnapshot, AlertRecord>
            harness(Subject subject, PipelineConfig config) throws Exception {
        var harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new BaselineFunction(subject, config),
                        subject::keyOf,
                        Types.STRING,
                        BaselineFunction.PEERS);
        harness.open();
        return harness;
    }

    private static void send(
            KeyedBroadcastOperatorTestHarness<String, Event, PeerSnapshot, AlertRecord> harness,
            Event event)
            throws Exception {
        harness.processElement(event, event.getEventTime().toEpochMilli());
    }
}
