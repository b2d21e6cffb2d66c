package dev.tamperwatch.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Typed, path-aware access to the fields of one JSON object. A JSON {@code null} counts as absent.
 * Every problem is a {@link MalformedEventException} naming {@code prefix + field}; fields read are
 * remembered so that {@link #rejectUnread} can name the unexpected ones.
 */
final class JsonFields {

    private final ObjectNode node;
    private final String prefix;
    private final Set<String> read;

    private JsonFields(ObjectNode node, String prefix, Set<String> read) {
        this.node = node;
        this.prefix = prefix;
        this.read = read;
    }

    static JsonFields of(ObjectNode node) {
        return new JsonFields(node, "", new HashSet<>());
    }

    /** The same object and read fields, reporting paths under {@code pathPrefix}. */
    JsonFields reportingAs(String pathPrefix) {
        return new JsonFields(node, pathPrefix, read);
    }

    private JsonNode value(String name) {
        read.add(name);
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private MalformedEventException problem(String name, String problem) {
        return new MalformedEventException(prefix + name, problem);
    }

    private MalformedEventException wrongType(String name, String expected, JsonNode value) {
        return problem(name, "expected " + expected + ", was " + typeOf(value));
    }

    private static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private JsonNode required(String name) throws MalformedEventException {
        JsonNode value = value(name);
        if (value == null) {
            throw problem(name, node.has(name) ? "must not be null" : "required field is missing");
        }
        return value;
    }

    String requiredString(String name) throws MalformedEventException {
        return asString(name, required(name));
    }

    String optionalString(String name) throws MalformedEventException {
        JsonNode value = value(name);
        return value == null ? null : asString(name, value);
    }

    private String asString(String name, JsonNode value) throws MalformedEventException {
        if (!value.isTextual()) {
            throw wrongType(name, "a string", value);
        }
        return value.textValue();
    }

    Integer optionalInt(String name) throws MalformedEventException {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        requireIntegral(name, value);
        if (!value.canConvertToInt()) {
            throw problem(name, value.asText() + " is out of int range");
        }
        return value.intValue();
    }

    Long optionalLong(String name) throws MalformedEventException {
        JsonNode value = value(name);
        return value == null ? null : asLong(name, value);
    }

    private long asLong(String name, JsonNode value) throws MalformedEventException {
        requireIntegral(name, value);
        if (!value.canConvertToLong()) {
            throw problem(name, value.asText() + " is out of long range");
        }
        return value.longValue();
    }

    private void requireIntegral(String name, JsonNode value) throws MalformedEventException {
        if (value.isNumber() && !value.isIntegralNumber()) {
            throw problem(name, "expected an integer, was " + value.asText());
        }
        if (!value.isIntegralNumber()) {
            throw wrongType(name, "an integer", value);
        }
    }

    boolean booleanOr(String name, boolean absent) throws MalformedEventException {
        JsonNode value = value(name);
        if (value == null) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw wrongType(name, "a boolean", value);
        }
        return value.booleanValue();
    }

    <E extends Enum<E>> E requiredEnum(String name, Class<E> type) throws MalformedEventException {
        return asEnum(name, required(name), type);
    }

    <E extends Enum<E>> E enumOr(String name, Class<E> type, E absent)
            throws MalformedEventException {
        JsonNode value = value(name);
        return value == null ? absent : asEnum(name, value, type);
    }

    private <E extends Enum<E>> E asEnum(String name, JsonNode value, Class<E> type)
            throws MalformedEventException {
        String symbol = asString(name, value);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(symbol)) {
                return constant;
            }
        }
        throw problem(
                name,
                "unknown value '"
                        + symbol
                        + "', allowed: "
                        + Arrays.stream(type.getEnumConstants())
                                .map(Enum::name)
                                .collect(Collectors.joining(", ")));
    }

    /**
     * Epoch milliseconds, or an ISO-8601 date-time with offset such as {@code
     * 2026-05-01T10:15:30.123Z}; finer than millisecond precision is truncated.
     */
    Instant requiredInstant(String name) throws MalformedEventException {
        JsonNode value = required(name);
        if (value.isNumber()) {
            return Instant.ofEpochMilli(asLong(name, value));
        }
        if (!value.isTextual()) {
            throw wrongType(name, "epoch milliseconds or an ISO-8601 string", value);
        }
        String text = value.textValue();
        try {
            return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw problem(
                    name,
                    "'"
                            + text
                            + "' is neither epoch milliseconds nor an ISO-8601 date-time with"
                            + " offset such as 2026-05-01T10:15:30Z");
        }
    }

    JsonFields requiredObject(String name) throws MalformedEventException {
        return asObject(name, required(name));
    }

    JsonFields optionalObject(String name) throws MalformedEventException {
        JsonNode value = value(name);
        return value == null ? null : asObject(name, value);
    }

    private JsonFields asObject(String name, JsonNode value) throws MalformedEventException {
        if (!value.isObject()) {
            throw wrongType(name, "an object", value);
        }
        return new JsonFields((ObjectNode) value, prefix + name + ".", new HashSet<>());
    }

    /** A map of strings to strings; absent is an empty map. */
    Map<String, String> stringMap(String name) throws MalformedEventException {
        JsonNode value = value(name);
        Map<String, String> map = new LinkedHashMap<>();
        if (value == null) {
            return map;
        }
        if (!value.isObject()) {
            throw wrongType(name, "an object", value);
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String path = name + "." + entry.getKey();
            if (!entry.getValue().isTextual()) {
                throw wrongType(path, "a string", entry.getValue());
            }
            map.put(entry.getKey(), entry.getValue().textValue());
        }
        return map;
    }

    /** An array of strings; absent is an empty list. */
    List<String> stringList(String name) throws MalformedEventException {
        JsonNode value = value(name);
        List<String> list = new ArrayList<>();
        if (value == null) {
            return list;
        }
        if (!value.isArray()) {
            throw wrongType(name, "an array of strings", value);
        }
        for (int i = 0; i < value.size(); i++) {
            list.add(asString(name + "[" + i + "]", value.get(i)));
        }
        return list;
    }

    /** An array of numbers as floats, NaN and infinities included; null if absent. */
    List<Float> optionalFloatList(String name) throws MalformedEventException {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(name, "an array of numbers", value);
        }
        List<Float> list = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String path = name + "[" + i + "]";
            JsonNode item = value.get(i);
            if (!item.isNumber()) {
                throw wrongType(path, "a number", item);
            }
            double exact = item.doubleValue();
            float rounded = (float) exact;
            if (Double.isFinite(exact) && Float.isInfinite(rounded)) {
                throw problem(path, item.asText() + " is out of float range");
            }
            list.add(rounded);
        }
        return list;
    }

    /**
     * Rejects any field of this object that was not read.
     *
     * @param owner what the object is, for the message, e.g. "a PROMPT event"
     */
    void rejectUnread(String owner) throws MalformedEventException {
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!read.contains(property.getKey())) {
                throw new MalformedEventException(
                        prefix + property.getKey(), "not a field of " + owner);
            }
        }
    }
}
