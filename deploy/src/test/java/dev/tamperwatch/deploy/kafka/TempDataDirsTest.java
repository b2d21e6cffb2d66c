package dev.tamperwatch.deploy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempDataDirsTest {

    @TempDir Path root;

    @Test
    void deletesOldDirectoriesWhoseBrokerIsGone() throws Exception {
        Path gone = dataDir("gone");
        Files.writeString(gone.resolve("broker.pid"), deadPid() + " ");
        age(gone, Duration.ofMinutes(5));
        Path noOwner = age(dataDir("no-owner"), Duration.ofMinutes(5));

        TempDataDirs.deleteAbandoned(root);

        assertThat(gone).doesNotExist();
        assertThat(noOwner).doesNotExist();
    }

    @Test
    void keepsDirectoriesOfRunningBrokersAndNewDirectories() throws Exception {
        Path running = dataDir("running");
        TempDataDirs.recordOwner(running, ProcessHandle.current());
        age(running, Duration.ofMinutes(5));
        Path fresh = dataDir("fresh");
        Path unrelated = age(Files.createDirectory(root.resolve("other-dir")), Duration.ofHours(1));

        TempDataDirs.deleteAbandoned(root);

        assertThat(running).exists();
        assertThat(fresh).exists();
        assertThat(unrelated).exists();
    }

    private Path dataDir(String name) throws IOException {
        Path dir = Files.createDirectory(root.resolve(TempDataDirs.PREFIX + name));
        Files.writeString(dir.resolve("broker.log"), "log");
        return dir;
    }

    private static Path age(Path dir, Duration age) throws IOException {
        return Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minus(age)));
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
