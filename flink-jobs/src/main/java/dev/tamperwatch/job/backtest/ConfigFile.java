package dev.tamperwatch.job.backtest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tamperwatch.job.DurationConverter;
import dev.tamperwatch.job.PipelineConfig;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pipeline settings from a YAML or JSON file, applied over {@link PipelineConfig#defaults()}.
 *
 * <p>Every component of {@link PipelineConfig} is a setting, named in snake_case ({@code window},
 * {@code false_alarm_rate}, {@code novelty_threshold}, {@code max_out_of_orderness}, {@code
 * state_ttl}, ...; kebab-case is accepted too). A setting is applied through the config's {@code
 * with<Name>} method when it has one, otherwise through its canonical constructor, so that the
 * constructor's range checks apply. Durations are written {@code 250ms}, {@code 60s}, {@code 5m},
 * {@code 1h}, {@code 2d} or ISO-8601; enums by name, case-insensitive; a component that is itself a
 * record takes a nested mapping with the same rules.
 *
 * <pre>{@code
 * window: 30m
 * false_alarm_rate: 1e-4
 * novelty_threshold: 0.005
 * }</pre>
 */
public final class ConfigFile {

    private ConfigFile() {}

    /**
     * Reads {@code file} (YAML unless it ends in {@code .json}) and applies it over the defaults.
     *
     * @throws BacktestInputException naming the file and, where it applies, the setting: unreadable
     *     file, malformed YAML or JSON, an unknown setting (listing the known ones), a value of the
     *     wrong type or out of range
     */
    public static PipelineConfig read(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        ObjectMapper mapper =
                name.toLowerCase(Locale.ROOT).endsWith(".json")
                        ? new ObjectMapper()
                        : new YAMLMapper();
        JsonNode root;
        try {
            root = mapper.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new BacktestInputException(
                    file
                            + ": not valid "
                            + (mapper instanceof YAMLMapper ? "YAML" : "JSON")
                            + (at == null
                                    ? ""
                                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                            + ": "
                            + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BacktestInputException(
                    "cannot read config " + file + ": " + LabelsFile.describe(e), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return PipelineConfig.defaults();
        }
        return apply(PipelineConfig.defaults(), root, file.toString());
    }

    /**
     * Applies a mapping of settings to {@code base}.
     *
     * @param where prefix of error messages, e.g. the file name
     * @throws BacktestInputException as {@link #read}
     */
    public static PipelineConfig apply(PipelineConfig base, JsonNode settings, String where) {
        return applyTo(base, settings, where + ": ");
    }

    /** The settings of a config as an ordered map of snake_case names to display values. */
    public static Map<String, Object> describe(Record config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            Object value = read(c, config);
            out.put(snakeCase(c.getName()), display(value));
        }
        return out;
    }

    /** The snake_case names of the settings of a record type. */
    public static java.util.List<String> settingNames(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(c -> snakeCase(c.getName()))
                .sorted()
                .toList();
    }

    private static <R extends Record> R applyTo(R base, JsonNode settings, String prefix) {
        if (!settings.isObject()) {
            throw new BacktestInputException(
                    prefix.substring(0, prefix.length() - 2)
                            + ": expected a mapping of settings, was "
                            + settings.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        @SuppressWarnings("unchecked")
        Class<R> type = (Class<R>) base.getClass();
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            components.put(snakeCase(c.getName()), c);
        }
        R result = base;
        Iterator<Map.Entry<String, JsonNode>> fields = settings.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey().trim().replace('-', '_').toLowerCase(Locale.ROOT);
            RecordComponent component = components.get(key);
            if (component == null) {
                throw new BacktestInputException(
                        prefix
                                + "unknown setting '"
                                + field.getKey()
                                + "'; known settings: "
                                + String.join(", ", settingNames(type)));
            }
            String path = prefix + key;
            Object value = convert(component, field.getValue(), result, path);
            result = with(result, component, value, path);
        }
        return result;
    }

    private static Object convert(
            RecordComponent component, JsonNode node, Record current, String path) {
        Class<?> t = component.getType();
        String shown = node.isTextual() ? "'" + node.asText() + "'" : node.toString();
        if (t == Duration.class) {
            if (!node.isTextual()) {
                throw new BacktestInputException(
                        path + ": " + shown + " is not a duration; write e.g. 250ms, 60s, 5m, 1h");
            }
            try {
                return DurationConverter.parse(node.asText());
            } catch (RuntimeException e) {
                throw new BacktestInputException(path + ": " + e.getMessage());
            }
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            Double d = node.isNumber() ? Double.valueOf(node.asDouble()) : parseDouble(node);
            if (d == null) {
                throw new BacktestInputException(path + ": " + shown + " is not a number");
            }
            return t == float.class || t == Float.class ? (Object) d.floatValue() : (Object) d;
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            if (!node.isIntegralNumber()
                    || (t == int.class || t == Integer.class) && !node.canConvertToInt()) {
                throw new BacktestInputException(
                        path + ": " + shown + " is not a whole number in range");
            }
            return t == int.class || t == Integer.class
                    ? (Object) node.asInt()
                    : (Object) node.asLong();
        }
        if (t == boolean.class || t == Boolean.class) {
            if (!node.isBoolean()) {
                throw new BacktestInputException(path + ": " + shown + " is not true or false");
            }
            return node.asBoolean();
        }
        if (t == String.class) {
            if (!node.isTextual()) {
                throw new BacktestInputException(path + ": " + shown + " is not a string");
            }
            return node.asText();
        }
        if (t.isEnum()) {
            for (Object constant : t.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(node.asText().trim())) {
                    return constant;
                }
            }
            throw new BacktestInputException(
                    path
                            + ": "
                            + shown
                            + " is not one of "
                            + Arrays.stream(t.getEnumConstants())
                                    .map(String::valueOf)
                                    .collect(Collectors.joining(", ")));
        }
        if (t.isRecord()) {
            Record nested = (Record) read(component, current);
            return applyTo(nested, node, path + ": ");
        }
        throw new BacktestInputException(path + ": cannot be set from a config file");
    }

    private static Double parseDouble(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Double.parseDouble(node.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R with(
            R config, RecordComponent component, Object value, String path) {
        Class<?> type = config.getClass();
        String name = component.getName();
        try {
            try {
                Method with =
                        type.getMethod(
                                "with" + Character.toUpperCase(name.charAt(0)) + name.substring(1),
                                component.getType());
                if (with.getReturnType() == type) {
                    return (R) with.invoke(config, value);
                }
            } catch (NoSuchMethodException e) {
                // no with-method: use the canonical constructor
            }
            RecordComponent[] all = type.getRecordComponents();
            Object[] args = new Object[all.length];
            Class<?>[] types = new Class<?>[all.length];
            for (int i = 0; i < all.length; i++) {
                types[i] = all[i].getType();
                args[i] = all[i].getName().equals(name) ? value : read(all[i], config);
            }
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return (R) canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                throw new BacktestInputException(path + ": " + cause.getMessage());
            }
            throw new IllegalStateException("cannot apply " + path, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot apply " + path, e);
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }

    private static Object display(Object value) {
        if (value instanceof Duration d) {
            return DurationFormat.format(d);
        }
        if (value instanceof Record r) {
            return describe(r);
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return value;
    }

    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
