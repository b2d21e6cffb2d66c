package dev.tamperwatch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.schema.avro.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventDecoderTest {

    private final EventDecoder decoder = new EventDecoder(TestEvents.VALIDATOR);

    @ParameterizedTest
    @MethodSource("dev.tamperwatch.schema.TestEvents#all")
    void decodesAvro(Event event) throws Exception {
        assertThat(decoder.decode(EventCodec.encode(event))).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("dev.tamperwatch.schema.TestEvents#all")
    void decodesUtf8Json(Event event) throws Exception {
        byte[] json = EventJson.write(event).getBytes(StandardCharsets.UTF_8);

        assertThat(decoder.decode(json)).isEqualTo(event);
    }

    @Test
    void decodesJsonAfterWhitespaceAndByteOrderMark() throws Exception {
        Event event = TestEvents.fullOutput();
        byte[] json =
                ("\uFEFF \r\n\t" + EventJson.write(event) + "\n").getBytes(StandardCharsets.UTF_8);

        assertThat(decoder.decode(json)).isEqualTo(event);
    }

    @Test
    void validates() {
        Event event = TestEvents.copy(TestEvents.fullOutput());
        ((dev.tamperwatch.schema.avro.OutputPayload) event.getPayload()).setOutputTokens(-3);

        assertThatThrownBy(() -> decoder.decode(EventCodec.encode(event)))
                .hasMessage("payload.output_tokens: must be >= 0, was -3");
        assertThatThrownBy(
                        () ->
                                decoder.decode(
                                        EventJson.write(event).getBytes(StandardCharsets.UTF_8)))
                .hasMessage("payload.output_tokens: must be >= 0, was -3");
    }

    @Test
    void rejectsTombstonesAndEmptyValues() {
        assertThatThrownBy(() -> decoder.decode(null))
                .hasMessage("<bytes>: null value (a tombstone) is not an event");
        assertThatThrownBy(() -> decoder.decode(new byte[0]))
                .hasMessage("<bytes>: empty value is not an event");
    }

    @Test
    void rejectsBytesInNeitherFormat() {
        assertThatThrownBy(() -> decoder.decode(new byte[] {0x00, 0x01}))
                .hasMessage(
                        "<bytes>: neither Avro single-object encoding (0xC3 0x01) nor a JSON"
                                + " object; starts with 0x00");
        assertThatThrownBy(() -> decoder.decode("  [1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageEndingWith("starts with 0x20");
        assertThatThrownBy(() -> decoder.decode("   ".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("<bytes>: neither");
    }

    @Test
    void rejectsJsonThatIsNotUtf8() {
        byte[] latin1 =
                EventJson.write(TestEvents.fullPrompt()).getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> decoder.decode(latin1))
                .hasMessage("<bytes>: JSON value is not valid UTF-8");
    }

    @Test
    void namesJsonSyntaxErrors() {
        assertThatThrownBy(() -> decoder.decode("{\"a\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("<json>: not valid JSON");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(decoder);
        }
        EventDecoder copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (EventDecoder) in.readObject();
        }

        Event event = TestEvents.fullAction();
        assertThat(copy.decode(EventCodec.encode(event))).isEqualTo(event);
    }
}
