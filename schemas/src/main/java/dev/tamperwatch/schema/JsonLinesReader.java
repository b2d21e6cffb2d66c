package dev.tamperwatch.schema;

import dev.tamperwatch.schema.avro.Event;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads events from JSON Lines, one {@link Parsed} per non-blank line: a bad line yields its error
 * and reading goes on with the next. Line numbers start at 1 and count blank lines too; a leading
 * byte order mark is ignored. Not thread-safe.
 *
 * <p>{@link #hasNext()} and {@link #next()} throw {@link UncheckedIOException} if the underlying
 * reader fails (including malformed UTF-8 from {@link #open}).
 */
public final class JsonLinesReader implements Iterator<JsonLinesReader.Parsed>, Closeable {

    /**
     * The outcome of one line: exactly one of {@code event} and {@code error} is non-null.
     *
     * @param lineNumber 1-based line number in the input
     */
    public record Parsed(long lineNumber, Event event, MalformedEventException error) {

        /** Whether the line gave an event. */
        public boolean isEvent() {
            return event != null;
        }

        /**
         * The error prefixed with its line, e.g. {@code "line 17: principal.id: must not be
         * blank"}.
         */
        public String errorMessage() {
            return error == null ? null : "line " + lineNumber + ": " + error.getMessage();
        }
    }

    private final BufferedReader in;
    private final EventValidator validator;
    private long lineNumber;
    private Parsed next;

    /** Parses each line with {@link EventJson#parse}, without validation. */
    public JsonLinesReader(Reader in) {
        this(in, null);
    }

    /**
     * Parses each line with {@link EventJson#parse} and validates the event with {@code validator}.
     */
    public JsonLinesReader(Reader in, EventValidator validator) {
        this.in = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in);
        this.validator = validator;
    }

    /** Opens a UTF-8 file, without validation. */
    public static JsonLinesReader open(Path file) throws IOException {
        return new JsonLinesReader(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    }

    /** Opens a UTF-8 file and validates every event with {@code validator}. */
    public static JsonLinesReader open(Path file, EventValidator validator) throws IOException {
        return new JsonLinesReader(
                Files.newBufferedReader(file, StandardCharsets.UTF_8), validator);
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = readNext();
        }
        return next != null;
    }

    @Override
    public Parsed next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more lines");
        }
        Parsed parsed = next;
        next = null;
        return parsed;
    }

    private Parsed readNext() {
        String line;
        do {
            try {
                line = in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read line " + (lineNumber + 1) + ": " + e.getMessage(), e);
            }
            if (line == null) {
                return null;
            }
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        } while (line.isBlank());
        try {
            Event event = EventJson.parse(line);
            if (validator != null) {
                validator.validate(event);
            }
            return new Parsed(lineNumber, event, null);
        } catch (MalformedEventException e) {
            return new Parsed(lineNumber, null, e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
