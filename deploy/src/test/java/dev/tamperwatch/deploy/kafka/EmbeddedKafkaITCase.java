package dev.tamperwatch.deploy.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tamperwatch.schema.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaITCase {

    private static final Duration ORPHAN_DEATH = Duration.ofSeconds(20);

    @Test
    void servesTopicsAndLeavesNothingBehindOnClose() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        ProcessHandle broker = ProcessHandle.of(kafka.pid()).orElseThrow();
        Path dataDir = kafka.dataDir();
        try (kafka) {
            assertThat(running(broker)).isTrue();
            assertThat(kafka.logFile()).content().contains("Kafka Server started");
            try (Admin admin = kafka.newAdmin()) {
                Set<String> all =
                        Set.of(Topics.EVENTS, Topics.ALERTS, Topics.DEAD_LETTER, Topics.CONTROL);
                assertThat(TamperwatchTopics.create(admin, (short) 1))
                        .containsExactlyInAnyOrderElementsOf(all);
                assertThat(TamperwatchTopics.create(admin, (short) 1)).isEmpty();

                Map<String, Integer> partitions =
                        admin.describeTopics(all).allTopicNames().get().values().stream()
                                .collect(
                                        Collectors.toMap(
                                                TopicDescription::name,
                                                t -> t.partitions().size()));
                assertThat(partitions)
                        .containsExactlyInAnyOrderEntriesOf(
                                Map.of(
                                        Topics.EVENTS, 4,
                                        Topics.ALERTS, 2,
                                        Topics.DEAD_LETTER, 1,
                                        Topics.CONTROL, 1));
                ConfigResource control =
                        new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONTROL);
                assertThat(
                                admin.describeConfigs(List.of(control))
                                        .all()
                                        .get()
                                        .get(control)
                                        .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                                        .value())
                        .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            KafkaRoundTrip.assertRoundTrip(kafka.bootstrapServers(), Topics.EVENTS);
        }
        kafka.close();

        assertThat(running(broker)).isFalse();
        assertThat(portFree(kafka.port())).isTrue();
        assertThat(portFree(kafka.controllerPort())).isTrue();
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void brokerDiesWhenParentIsKilled() throws Exception {
        Holder holder = Holder.start("sleep");
        try {
            ProcessHandle broker = holder.broker();
            Path dataDir = holder.dataDir();
            assertThat(running(broker)).isTrue();

            holder.process.destroyForcibly(); // SIGKILL: no shutdown hooks run
            assertThat(holder.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

            await("broker " + broker.pid() + " exits")
                    .atMost(ORPHAN_DEATH)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !running(broker));
            await("temporary data dir is deleted")
                    .atMost(ORPHAN_DEATH)
                    .until(() -> !Files.exists(dataDir));
        } finally {
            holder.killAll();
        }
    }

    @Test
    void brokerDiesWhenParentExitsNormally() throws Exception {
        Holder holder = Holder.start("exit");
        try {
            ProcessHandle broker = holder.broker();
            Path dataDir = holder.dataDir();
            assertThat(holder.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.process.exitValue()).isZero();
            await("broker " + broker.pid() + " exits")
                    .atMost(ORPHAN_DEATH)
                    .until(() -> !running(broker));
            assertThat(dataDir).doesNotExist();
        } finally {
            holder.killAll();
        }
    }

    @Test
    void startupFailureReportsTheBrokerLog() {
        EmbeddedKafka.Options options =
                EmbeddedKafka.Options.defaults()
                        .withBrokerProperty("num.network.threads", "not-a-number");

        assertThatThrownBy(() -> EmbeddedKafka.start(options))
                .isInstanceOf(KafkaStartupException.class)
                .hasMessageContaining("exited with status 1")
                .hasMessageContaining("broker.log")
                .hasMessageContaining(
                        "Invalid value not-a-number for configuration num.network.threads");
    }

    @Test
    void reusesAFormattedDataDirectory(@TempDir Path dir) throws Exception {
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withDataDir(dir);
        try (EmbeddedKafka first = EmbeddedKafka.start(options);
                Admin admin = first.newAdmin()) {
            TamperwatchTopics.create(admin, (short) 1);
        }
        try (EmbeddedKafka second = EmbeddedKafka.start(options);
                Admin admin = second.newAdmin()) {
            assertThat(admin.listTopics().names().get()).contains(Topics.CONTROL);
        }
        assertThat(dir.resolve("broker.log")).exists();
    }

    /** Whether {@code process} is alive and not a zombie. */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return !Files.isDirectory(Path.of("/proc")); // no procfs: trust ProcessHandle
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A JVM running {@link EmbeddedKafkaHolderMain}; its output is echoed and parsed. */
    private static final class Holder {
        final Process process;
        private final CompletableFuture<ProcessHandle> broker = new CompletableFuture<>();
        private final CompletableFuture<Path> dataDir = new CompletableFuture<>();

        private Holder(Process process) {
            this.process = process;
            Thread reader = new Thread(this::readOutput, "holder-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Holder start(String mode) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            return new Holder(
                    new ProcessBuilder(
                                    java.toString(),
                                    "-Xmx256m",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    EmbeddedKafkaHolderMain.class.getName(),
                                    mode)
                            .redirectErrorStream(true)
                            .start());
        }

        ProcessHandle broker() throws Exception {
            return broker.get(90, TimeUnit.SECONDS);
        }

        Path dataDir() throws Exception {
            return dataDir.get(90, TimeUnit.SECONDS);
        }

        private void readOutput() {
            try (BufferedReader lines =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println("[holder] " + line);
                    String pid = valueOf(line, EmbeddedKafkaHolderMain.PID_PREFIX);
                    if (pid != null) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(broker::complete);
                    }
                    String dir = valueOf(line, EmbeddedKafkaHolderMain.DATA_DIR_PREFIX);
                    if (dir != null) {
                        dataDir.complete(Path.of(dir));
                    }
                }
            } catch (IOException e) {
                // The holder was killed.
            }
            IllegalStateException ended = new IllegalStateException("holder output ended");
            broker.completeExceptionally(ended);
            dataDir.completeExceptionally(ended);
        }

        private static String valueOf(String line, String prefix) {
            return line.startsWith(prefix) ? line.substring(prefix.length()) : null;
        }

        /** Kills the holder and its broker if a test left them running. */
        void killAll() {
            process.destroyForcibly();
            if (broker.isDone() && !broker.isCompletedExceptionally()) {
                broker.join().destroyForcibly(); // the handle guards against pid reuse
            }
        }
    }
}
