package dev.tamperwatch.schema;

import dev.tamperwatch.schema.avro.Event;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes events as JSON Lines ({@link EventJson#write}, one per line, {@code \n}). Not thread-safe.
 */
public final class JsonLinesWriter implements Closeable, Flushable {

    private final Writer out;

    public JsonLinesWriter(Writer out) {
        this.out = out;
    }

    /** Creates or truncates a UTF-8 file. */
    public static JsonLinesWriter open(Path file) throws IOException {
        return new JsonLinesWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Appends one line. */
    public void write(Event event) throws IOException {
        out.write(EventJson.write(event));
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
