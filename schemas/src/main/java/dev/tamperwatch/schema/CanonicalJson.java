package dev.tamperwatch.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The canonical JSON form that {@code arguments_sha256} is computed over: compact (no whitespace),
 * object keys sorted by their UTF-16 code units at every nesting level, strings and numbers as
 * Jackson writes them. Hash its UTF-8 bytes with {@link Hashing#sha256Hex(String)}.
 */
public final class CanonicalJson {

    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private CanonicalJson() {}

    /**
     * Writes {@code value} (maps, lists, arrays, strings, numbers, booleans, nulls, or beans
     * Jackson can serialize) in canonical form.
     *
     * @throws IllegalArgumentException if Jackson cannot serialize the value
     */
    public static String write(Object value) {
        try {
            Object plain = MAPPER.convertValue(value, Object.class);
            return MAPPER.writeValueAsString(plain);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot be written as canonical JSON: " + e.getMessage(), e);
        }
    }
}
