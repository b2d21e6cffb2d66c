package dev.tamperwatch.schema;

import dev.tamperwatch.schema.avro.Event;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns the value of a {@link Topics#EVENTS} record into a valid {@link Event}. Accepts Avro
 * single-object encoding (recognised by its {@code 0xC3 0x01} marker) and, for hand-written or
 * replayed traffic, a UTF-8 JSON object in the {@link EventJson} form (recognised by an opening
 * brace as its first non-whitespace byte, after an optional byte order mark). Every decoded event
 * is then checked by the {@link EventValidator} given at construction.
 *
 * <p>Immutable and thread-safe. Serializable when its validator is, so a Flink function may hold
 * one as a field; it is also cheap enough to construct in {@code open()}.
 */
public final class EventDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final EventValidator validator;

    public EventDecoder(EventValidator validator) {
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /**
     * Decodes and validates one record value.
     *
     * @throws MalformedEventException naming {@code <bytes>} for a null (tombstone) or empty value,
     *     bytes in neither format, a malformed Avro body or JSON that is not UTF-8; naming {@code
     *     <json>} for malformed JSON; otherwise naming the field that failed parsing or validation.
     *     Never throws anything else for any input.
     */
    public Event decode(byte[] value) throws MalformedEventException {
        Event event = parse(value);
        validator.validate(event);
        return event;
    }

    private static Event parse(byte[] value) throws MalformedEventException {
        if (value == null) {
            throw new MalformedEventException(
                    MalformedEventException.BYTES, "null value (a tombstone) is not an event");
        }
        if (value.length == 0) {
            throw new MalformedEventException(
                    MalformedEventException.BYTES, "empty value is not an event");
        }
        if (SingleObjectCodec.hasMarker(value)) {
            return EventCodec.decode(value);
        }
        int start = startOfJsonObject(value);
        if (start < 0) {
            throw new MalformedEventException(
                    MalformedEventException.BYTES,
                    String.format(
                            "neither Avro single-object encoding (0xC3 0x01) nor a JSON object;"
                                    + " starts with 0x%02X",
                            value[0] & 0xFF));
        }
        return EventJson.parse(utf8(value, start));
    }

    /** Index of the first non-whitespace byte if it is an opening brace (after a BOM); else -1. */
    private static int startOfJsonObject(byte[] value) {
        int start = 0;
        if (value.length >= 3
                && value[0] == (byte) 0xEF
                && value[1] == (byte) 0xBB
                && value[2] == (byte) 0xBF) {
            start = 3;
        }
        for (int i = start; i < value.length; i++) {
            byte b = value[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{' ? i : -1;
            }
        }
        return -1;
    }

    private static String utf8(byte[] value, int start) throws MalformedEventException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value, start, value.length - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEventException(
                    MalformedEventException.BYTES, "JSON value is not valid UTF-8", e);
        }
    }
}
