package dev.tamperwatch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.schema.avro.ControlRecord;
import dev.tamperwatch.schema.avro.ControlType;
import dev.tamperwatch.schema.avro.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    @ParameterizedTest
    @MethodSource("dev.tamperwatch.schema.TestEvents#all")
    void roundTripsEveryKindFullAndMinimal(Event event) throws Exception {
        byte[] bytes = EventCodec.encode(event);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(EventCodec.decode(bytes)).isEqualTo(event);
    }

    @Test
    void roundTripsControlRecords() throws Exception {
        ControlRecord record =
                ControlRecord.newBuilder()
                        .setType(ControlType.APPROVED_MODEL_DIGEST)
                        .setScope("acme/gpt-4o")
                        .setValues(Map.of("sha256", TestEvents.SHA))
                        .setUpdatedBy("secops")
                        .setUpdatedAt(Instant.parse("2026-05-01T00:00:00Z"))
                        .setExpiresAt(Instant.parse("2026-06-01T00:00:00Z"))
                        .build();

        assertThat(ControlCodec.decode(ControlCodec.encode(record))).isEqualTo(record);
    }

    @Test
    void controlCodecRejectsAnEvent() {
        byte[] event = EventCodec.encode(TestEvents.minimalPrompt());

        assertThatThrownBy(() -> ControlCodec.decode(event))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("<bytes>: not an Avro single-object encoded ControlRecord")
                .hasMessageContaining("unknown");
    }

    @Test
    void encodeRejectsAnEventTheSchemaCannotHold() {
        Event event = TestEvents.copy(TestEvents.minimalPrompt());
        event.setTenantId(null);

        assertThatThrownBy(() -> EventCodec.encode(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Event cannot be encoded");
    }

    @Test
    void rejectsNullAndEmpty() {
        assertRejected(null, "<bytes>: empty value is not an encoded Event");
        assertRejected(new byte[0], "<bytes>: empty value is not an encoded Event");
    }

    @Test
    void rejectsBytesWithoutMarker() {
        assertRejected(
                "{\"kind\":\"PROMPT\"}".getBytes(),
                "<bytes>: not an Avro single-object encoded Event (no 0xC3 0x01 marker");
        assertRejected(new byte[] {(byte) 0xC3, 0x01, 1, 2}, "no 0xC3 0x01 marker and 8-byte");
    }

    @Test
    void rejectsUnknownFingerprintShowingIt() {
        byte[] bytes = EventCodec.encode(TestEvents.minimalPrompt());
        Arrays.fill(bytes, 2, 10, (byte) 0xAB);

        assertRejected(
                bytes,
                "<bytes>: not an Avro single-object encoded Event (fingerprint 0xabababababababab"
                        + " unknown)");
    }

    @Test
    void rejectsTruncatedBody() {
        byte[] output = EventCodec.encode(TestEvents.minimalOutput());
        byte[] prompt = EventCodec.encode(TestEvents.fullPrompt());

        assertRejected(
                Arrays.copyOf(output, output.length - 1),
                "<bytes>: malformed Avro Event body: truncated");
        assertRejected(
                Arrays.copyOf(prompt, prompt.length - 1),
                "<bytes>: malformed Avro Event body: string length 16 exceeds the 15 bytes left");
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = EventCodec.encode(TestEvents.minimalPrompt());

        assertRejected(
                Arrays.copyOf(bytes, bytes.length + 3),
                "<bytes>: 3 unexpected bytes after the Event");
    }

    @Test
    void rejectsHugeStringLengthWithoutAllocating() throws IOException {
        assertRejected(body(e -> e.writeLong(2_000_000_000L)), "string length 2000000000 exceeds");
    }

    @Test
    void rejectsHugeArrayCountWithoutAllocating() throws IOException {
        byte[] bytes =
                body(
                        e -> {
                            writeMinimalCommonFields(e);
                            e.writeIndex(0); // PromptPayload
                            e.writeIndex(0); // content_sha256 null
                            e.writeIndex(0); // length_chars null
                            e.writeIndex(0); // input_tokens null
                            e.writeEnum(0); // source
                            e.writeEnum(0); // trust
                            e.writeIndex(1); // embedding present
                            e.writeLong(2_000_000_000L); // block count
                        });

        assertRejected(bytes, "block of 2000000000 items exceeds");
    }

    @Test
    void rejectsHugeMapCount() throws IOException {
        byte[] bytes =
                body(
                        e -> {
                            writeMinimalCommonFieldsUpToAttributes(e);
                            e.writeLong(1_500_000_000L);
                        });

        assertRejected(bytes, "block of 1500000000 items exceeds");
    }

    @Test
    void rejectsBadUnionIndex() throws IOException {
        byte[] bytes =
                body(
                        e -> {
                            writeMinimalCommonFields(e);
                            e.writeIndex(7);
                        });

        assertRejected(bytes, "<bytes>: malformed Avro Event body");
    }

    @Test
    void rejectsBadEnumIndex() throws IOException {
        byte[] bytes =
                body(
                        e -> {
                            e.writeString(TestEvents.PROMPT_ID);
                            e.writeLong(TestEvents.TIME.toEpochMilli());
                            e.writeEnum(9);
                        });

        assertRejected(bytes, "<bytes>: malformed Avro Event body");
    }

    @Test
    void rejectsInvalidUtf8InStrings() throws IOException {
        byte[] bytes =
                body(
                        e -> {
                            e.writeLong(2);
                            e.writeFixed(new byte[] {(byte) 0xC3, (byte) 0x28});
                        });

        assertRejected(bytes, "string is not valid UTF-8");
    }

    private interface BodyWriter {
        void write(BinaryEncoder encoder) throws IOException;
    }

    /** The single-object header of the current Event schema followed by a hand-written body. */
    private static byte[] body(BodyWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(EventCodec.encode(TestEvents.minimalPrompt()), 0, 10);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static void writeMinimalCommonFieldsUpToAttributes(BinaryEncoder e) throws IOException {
        e.writeString(TestEvents.PROMPT_ID);
        e.writeLong(TestEvents.TIME.toEpochMilli());
        e.writeEnum(0); // kind PROMPT
        e.writeString("acme");
        e.writeEnum(0); // principal.type USER
        e.writeString("u-17");
        for (int i = 0; i < 9; i++) {
            e.writeIndex(0); // on_behalf_of .. model: null
        }
    }

    private static void writeMinimalCommonFields(BinaryEncoder e) throws IOException {
        writeMinimalCommonFieldsUpToAttributes(e);
        e.writeMapStart();
        e.setItemCount(0);
        e.writeMapEnd();
    }

    private static void assertRejected(byte[] bytes, String messageFragment) {
        assertThatThrownBy(() -> EventCodec.decode(bytes))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining(messageFragment)
                .extracting(e -> ((MalformedEventException) e).field())
                .isEqualTo("<bytes>");
    }
}
