package dev.tamperwatch.detect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Committed golden files under {@code src/test/resources/golden}. */
public final class Golden {

    private Golden() {}

    public static byte[] read(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
