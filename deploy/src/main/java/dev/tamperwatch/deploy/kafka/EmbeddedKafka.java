package dev.tamperwatch.deploy.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running in a child
 * JVM started from the Kafka jars on the class path.
 *
 * <p>{@link #start} formats the storage with a random cluster id (unless the data directory is
 * already formatted), starts {@code kafka.Kafka} and returns once an Admin client sees the broker
 * registered. The broker listens on {@code 127.0.0.1} on a port chosen at start; see {@link
 * #bootstrapServers()}. Its output goes to {@code <dataDir>/broker.log}.
 *
 * <p>The child never outlives this object: {@link #close()} stops it, a shutdown hook stops it when
 * this JVM exits, and {@link ParentWatchdogMain} halts it when this JVM is killed.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(15);
    private static final Duration FORCED_STOP = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final int LOG_TAIL_LINES = 30;
    private static final int START_ATTEMPTS = 3;
    private static final String PORT_TAKEN = "Address already in use";

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int port;
    private final int controllerPort;
    private final Process broker;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(
            Path dataDir, boolean ownsDataDir, int port, int controllerPort, Process broker) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.broker = broker;
        this.shutdownHook = new Thread(this::close, "embedded-kafka-shutdown");
    }

    /** Starts a broker with {@link Options#defaults()}. */
    public static EmbeddedKafka start() {
        return start(Options.defaults());
    }

    /**
     * Formats storage if needed, starts the broker and waits until it is registered. If a chosen
     * port is taken before the broker binds it, retries with new ports (three attempts in all).
     *
     * @throws KafkaStartupException if formatting or start-up fails or exceeds {@link
     *     Options#startupTimeout()}; the message ends with the last lines of {@code broker.log}.
     *     The child is killed and a temporary data directory deleted.
     */
    public static EmbeddedKafka start(Options options) {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(options);
            } catch (KafkaStartupException e) {
                if (attempt == START_ATTEMPTS || !e.getMessage().contains(PORT_TAKEN)) {
                    throw e;
                }
                LOG.warn("A Kafka port was taken during start-up; retrying with new ports");
            }
        }
    }

    private static EmbeddedKafka startOnce(Options options) {
        long startNanos = System.nanoTime();
        long deadline = startNanos + options.startupTimeout().toNanos();
        boolean ownsDataDir = options.dataDir() == null;
        Path dataDir = createDataDir(options);
        Path logFile = dataDir.resolve("broker.log");
        Path serverProperties = dataDir.resolve("server.properties");
        Path log4j2 = dataDir.resolve("log4j2.properties");
        Path logDir = dataDir.resolve("kraft-logs");
        int[] ports = BrokerConfig.freePorts(2);
        EmbeddedKafka kafka = null;
        try {
            BrokerConfig.writeLog4j2(log4j2);
            BrokerConfig.writeServerProperties(
                    BrokerConfig.serverProperties(
                            ports[0], ports[1], logDir, options.brokerProperties()),
                    serverProperties);
            ChildJvm jvm =
                    new ChildJvm(
                            options.effectiveClasspath(),
                            jvmOptions(options, log4j2, ownsDataDir ? dataDir : null),
                            dataDir,
                            logFile);
            List<String> args = new ArrayList<>(List.of(serverProperties.toString()));
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                args.add(Uuid.randomUuid().toString());
            }
            Process process = jvm.start("broker", KraftServerMain.class.getName(), args);
            kafka = new EmbeddedKafka(dataDir, ownsDataDir, ports[0], ports[1], process);
            Runtime.getRuntime().addShutdownHook(kafka.shutdownHook);
            if (ownsDataDir) {
                TempDataDirs.recordOwner(dataDir, process.toHandle());
            }
            kafka.awaitReady(deadline);
            LOG.info(
                    "Kafka broker ready at {} in {} ms, pid {}, data {}",
                    kafka.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    process.pid(),
                    dataDir);
            return kafka;
        } catch (IOException | RuntimeException e) {
            KafkaStartupException failure =
                    e instanceof KafkaStartupException startup
                            ? startup
                            : new KafkaStartupException(
                                    "Cannot start Kafka broker: " + e + withLogTail(logFile), e);
            if (kafka != null) {
                kafka.kill();
            } else if (ownsDataDir) {
                Directories.deleteRecursively(dataDir);
            }
            throw failure;
        }
    }

    /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return BrokerConfig.HOST + ":" + port;
    }

    /** Port of the PLAINTEXT listener on {@code 127.0.0.1}. */
    public int port() {
        return port;
    }

    /** Port of the KRaft CONTROLLER listener on {@code 127.0.0.1}. */
    public int controllerPort() {
        return controllerPort;
    }

    /** Process id of the broker JVM. */
    public long pid() {
        return broker.pid();
    }

    /** Directory holding the configuration, {@code broker.log} and the log segments. */
    public Path dataDir() {
        return dataDir;
    }

    /** The broker's standard output and error. */
    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    /** A new Admin client connected to this broker; the caller closes it. */
    public Admin newAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * Stops the broker: SIGTERM and up to 15 s for a clean shutdown, then SIGKILL. Deletes the data
     * directory if it was a temporary one. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // SIGTERM through the handle: Process.destroy() would also close stdin, which makes the
        // watchdog halt the broker before its clean shutdown.
        broker.toHandle().destroy();
        try {
            if (!broker.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "Kafka broker pid {} ignored SIGTERM for {}; killing it",
                        pid(),
                        GRACEFUL_STOP);
                broker.destroyForcibly();
                broker.waitFor(FORCED_STOP.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            broker.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        release();
    }

    private void kill() {
        if (closed.compareAndSet(false, true)) {
            broker.destroyForcibly();
            try {
                broker.waitFor(FORCED_STOP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release();
        }
    }

    private void release() {
        closeQuietly(broker);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // This JVM is shutting down; the hook is running or about to run.
        }
        if (ownsDataDir && !Directories.deleteRecursively(dataDir)) {
            LOG.warn("Could not delete Kafka data directory {}", dataDir);
        }
    }

    private void awaitReady(long deadline) {
        Admin admin = null;
        try {
            while (true) {
                if (!broker.isAlive()) {
                    throw failure("Kafka broker exited with status " + broker.exitValue());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw failure("Kafka broker not ready within the start-up timeout");
                }
                if (portOpen()) {
                    if (admin == null) {
                        admin = newAdmin();
                    }
                    if (registered(admin)) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("Interrupted while waiting for the Kafka broker");
        } finally {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
        }
    }

    private boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(BrokerConfig.HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean registered(Admin admin) throws InterruptedException {
        DescribeClusterOptions options =
                new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis());
        try {
            return admin.describeCluster(options).nodes().get().stream()
                    .anyMatch(node -> node.id() == BrokerConfig.NODE_ID);
        } catch (ExecutionException e) {
            return false;
        }
    }

    private KafkaStartupException failure(String reason) {
        return new KafkaStartupException(reason + withLogTail(logFile()));
    }

    private static List<String> jvmOptions(Options options, Path log4j2, Path deleteOnOrphan) {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx" + options.heap());
        jvm.add("-XX:+UseG1GC");
        jvm.add("-XX:MaxGCPauseMillis=20");
        jvm.add("-XX:+ExitOnOutOfMemoryError");
        jvm.add("-Djava.awt.headless=true");
        jvm.add("-Dlog4j2.configurationFile=" + log4j2.toAbsolutePath());
        if (deleteOnOrphan != null) {
            jvm.add("-D" + ParentWatchdogMain.DELETE_ON_ORPHAN + "=" + deleteOnOrphan);
        }
        return jvm;
    }

    private static Path createDataDir(Options options) {
        try {
            if (options.dataDir() != null) {
                return Files.createDirectories(options.dataDir().toAbsolutePath());
            }
            TempDataDirs.deleteAbandoned(Path.of(System.getProperty("java.io.tmpdir")));
            return TempDataDirs.create();
        } catch (IOException e) {
            throw new KafkaStartupException("Cannot create Kafka data directory", e);
        }
    }

    private static String withLogTail(Path logFile) {
        return Files.exists(logFile)
                ? "\nLast lines of " + logFile + ":\n" + LogTail.of(logFile, LOG_TAIL_LINES)
                : "";
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The child is gone; nothing to release.
        }
    }

    /**
     * Start-up options; immutable, build from {@link #defaults()} with the {@code with*} methods.
     *
     * @param dataDir directory for configuration, log and log segments; {@code null} for a
     *     temporary directory deleted on {@link #close()}. An already formatted directory is
     *     reused.
     * @param heap maximum heap of the broker JVM in {@code -Xmx} syntax, e.g. {@code 512m}
     * @param brokerProperties broker properties overriding the defaults; roles, node id, quorum,
     *     listeners and directories are managed and cannot be overridden
     * @param startupTimeout limit for formatting plus start-up
     * @param classpath class path of the broker JVM; {@code null} for this JVM's {@code
     *     java.class.path}. Must hold {@code kafka_2.13} and its dependencies.
     */
    public record Options(
            Path dataDir,
            String heap,
            Map<String, String> brokerProperties,
            Duration startupTimeout,
            String classpath) {

        private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");
        private static final Set<String> MANAGED =
                Set.of(
                        "process.roles",
                        "node.id",
                        "controller.quorum.voters",
                        "controller.quorum.bootstrap.servers",
                        "listeners",
                        "advertised.listeners",
                        "listener.security.protocol.map",
                        "controller.listener.names",
                        "inter.broker.listener.name",
                        "log.dirs",
                        "log.dir",
                        "metadata.log.dir");

        public Options {
            Objects.requireNonNull(heap, "heap");
            if (!HEAP.matcher(heap).matches()) {
                throw new IllegalArgumentException("heap must look like 512m: " + heap);
            }
            brokerProperties = Map.copyOf(brokerProperties);
            for (String key : brokerProperties.keySet()) {
                if (MANAGED.contains(key)) {
                    throw new IllegalArgumentException(key + " is set by EmbeddedKafka");
                }
            }
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive");
            }
        }

        /** Temporary data directory, 512m heap, no overrides, 60 s, this JVM's class path. */
        public static Options defaults() {
            return new Options(null, "512m", Map.of(), Duration.ofSeconds(60), null);
        }

        public Options withDataDir(Path dir) {
            return new Options(dir, heap, brokerProperties, startupTimeout, classpath);
        }

        public Options withHeap(String maxHeap) {
            return new Options(dataDir, maxHeap, brokerProperties, startupTimeout, classpath);
        }

        /** Adds or replaces one broker property. */
        public Options withBrokerProperty(String key, String value) {
            Map<String, String> merged = new HashMap<>(brokerProperties);
            merged.put(key, value);
            return new Options(dataDir, heap, merged, startupTimeout, classpath);
        }

        public Options withStartupTimeout(Duration timeout) {
            return new Options(dataDir, heap, brokerProperties, timeout, classpath);
        }

        public Options withClasspath(String path) {
            return new Options(dataDir, heap, brokerProperties, startupTimeout, path);
        }

        String effectiveClasspath() {
            return classpath != null ? classpath : System.getProperty("java.class.path");
        }
    }
}
