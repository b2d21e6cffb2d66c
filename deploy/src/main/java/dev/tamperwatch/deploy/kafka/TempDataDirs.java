package dev.tamperwatch.deploy.kafka;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Temporary broker data directories: created under {@code java.io.tmpdir} with a fixed prefix, they
 * record the broker process that owns them so that directories left behind by a broker that is gone
 * (its parent was killed before it could clean up) can be deleted later.
 */
final class TempDataDirs {

    static final String PREFIX = "tamperwatch-kafka-";
    private static final String OWNER_FILE = "broker.pid";
    private static final Duration MIN_AGE = Duration.ofMinutes(1);

    private TempDataDirs() {}

    static Path create() throws IOException {
        return Files.createTempDirectory(PREFIX);
    }

    /** Records {@code broker} (pid and start time) as the owner of {@code dir}. */
    static void recordOwner(Path dir, ProcessHandle broker) throws IOException {
        String started = broker.info().startInstant().map(Instant::toString).orElse("");
        Files.writeString(dir.resolve(OWNER_FILE), broker.pid() + " " + started);
    }

    /**
     * Deletes directories in {@code root} with this prefix that are older than a minute and whose
     * recorded owner is not running. Never throws.
     */
    static void deleteAbandoned(Path root) {
        Instant cutoff = Instant.now().minus(MIN_AGE);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path dir : dirs) {
                if (abandoned(dir, cutoff)) {
                    Directories.deleteRecursively(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: leftovers are harmless.
        }
    }

    private static boolean abandoned(Path dir, Instant cutoff) {
        try {
            return Files.isDirectory(dir)
                    && Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)
                    && !ownerRunning(dir);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean ownerRunning(Path dir) throws IOException {
        Path ownerFile = dir.resolve(OWNER_FILE);
        if (!Files.exists(ownerFile)) {
            return false;
        }
        String[] owner = Files.readString(ownerFile).trim().split(" ", 2);
        Optional<ProcessHandle> process =
                ProcessHandle.of(Long.parseLong(owner[0])).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || owner.length < 2 || owner[1].isEmpty()) {
            return process.isPresent();
        }
        return process.get()
                .info()
                .startInstant()
                .map(started -> started.toString().equals(owner[1]))
                .orElse(true);
    }
}
