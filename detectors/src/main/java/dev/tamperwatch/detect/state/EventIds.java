package dev.tamperwatch.detect.state;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Rules for the event ids a state may hold as evidence. */
public final class EventIds {

    /** Longest event id, in UTF-8 bytes, kept as evidence; longer ids are not stored. */
    public static final int MAX_EVENT_ID_BYTES = 128;

    private EventIds() {}

    /** Ids of at most this many chars fit whatever they hold: a char takes at most 3 bytes. */
    private static final int SURELY_STORABLE_CHARS = MAX_EVENT_ID_BYTES / 3;

    /** Whether {@code eventId} is present and short enough to be kept as evidence. */
    public static boolean storable(String eventId) {
        return eventId != null
                && (eventId.length() <= SURELY_STORABLE_CHARS
                        || eventId.length() <= MAX_EVENT_ID_BYTES
                                && eventId.getBytes(StandardCharsets.UTF_8).length
                                        <= MAX_EVENT_ID_BYTES);
    }

    /** The UUID when {@code value} is one in canonical lower-case form, otherwise null. */
    static UUID parseCanonicalUuid(String value) {
        if (value.length() != 36) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(value);
            return uuid.toString().equals(value) ? uuid : null;
        } catch (IllegalArgumentException notUuid) {
            return null;
        }
    }
}
