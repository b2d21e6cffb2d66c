package dev.tamperwatch.deploy.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** File-tree helpers. */
final class Directories {

    private static final int DELETE_ATTEMPTS = 3;

    private Directories() {}

    /**
     * Deletes {@code dir} and everything below it, retrying a few times in case files appear while
     * deleting. Never throws.
     *
     * @return whether {@code dir} no longer exists
     */
    static boolean deleteRecursively(Path dir) {
        for (int attempt = 0; attempt < DELETE_ATTEMPTS && Files.exists(dir); attempt++) {
            try (Stream<Path> tree = Files.walk(dir)) {
                List<Path> deepestFirst =
                        tree.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
                for (Path path : deepestFirst) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException | UncheckedIOException e) {
                // Retry: a file was created or removed concurrently.
            }
        }
        return !Files.exists(dir);
    }
}
