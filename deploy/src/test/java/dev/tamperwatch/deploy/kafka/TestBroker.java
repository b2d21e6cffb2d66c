package dev.tamperwatch.deploy.kafka;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Kafka broker shared by all tests of one JVM, started on first use and stopped when the JVM
 * exits.
 *
 * <p>A Testcontainers {@link KafkaContainer} when Docker is available and either {@value
 * #IMAGE_ENV} names an image or {@value #DEFAULT_IMAGE} is present locally; an {@link
 * EmbeddedKafka} child JVM otherwise, or if the container fails to start. Auto topic creation is
 * off on both: create topics first (e.g. {@link TamperwatchTopics#create(Admin, short)}).
 */
public final class TestBroker {

    /** Environment variable naming the Kafka image to run under Docker. */
    public static final String IMAGE_ENV = "TW_KAFKA_IMAGE";

    /** Image used when {@value #IMAGE_ENV} is unset and the image is present locally. */
    public static final String DEFAULT_IMAGE = "apache/kafka:4.2.0";

    /** How the broker runs. */
    public enum Kind {
        CONTAINER,
        EMBEDDED
    }

    private static final Logger LOG = LoggerFactory.getLogger(TestBroker.class);

    private static Running running;

    private TestBroker() {}

    /** {@code bootstrap.servers} of the shared broker; starts it on first call. */
    public static String bootstrapServers() {
        return get().bootstrapServers();
    }

    /** How the shared broker runs; starts it on first call. */
    public static Kind kind() {
        return get().kind();
    }

    /** A new Admin client for the shared broker; the caller closes it. */
    public static Admin newAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    private static synchronized Running get() {
        if (running == null) {
            Running started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-broker-shutdown"));
            running = started;
        }
        return running;
    }

    private static Running start() {
        Optional<String> image = containerImage();
        if (image.isPresent()) {
            try {
                return startContainer(image.get());
            } catch (RuntimeException e) {
                LOG.warn("Kafka container {} failed to start; using an embedded broker", image, e);
            }
        }
        EmbeddedKafka kafka = EmbeddedKafka.start();
        LOG.info(
                "Test Kafka broker: EMBEDDED child JVM (pid {}) at {}",
                kafka.pid(),
                kafka.bootstrapServers());
        return new Running(Kind.EMBEDDED, kafka.bootstrapServers(), kafka::close);
    }

    private static Running startContainer(String image) {
        KafkaContainer container =
                new KafkaContainer(
                                DockerImageName.parse(image)
                                        .asCompatibleSubstituteFor("apache/kafka"))
                        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                        .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                        .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
        container.start();
        LOG.info("Test Kafka broker: CONTAINER {} at {}", image, container.getBootstrapServers());
        return new Running(Kind.CONTAINER, container.getBootstrapServers(), container::stop);
    }

    private static Optional<String> containerImage() {
        if (!dockerAvailable()) {
            LOG.info("Docker is not available");
            return Optional.empty();
        }
        String configured = System.getenv(IMAGE_ENV);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured.trim());
        }
        if (imagePresent(DEFAULT_IMAGE)) {
            return Optional.of(DEFAULT_IMAGE);
        }
        LOG.info(
                "Docker is available but {} is unset and {} is not present",
                IMAGE_ENV,
                DEFAULT_IMAGE);
        return Optional.empty();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static boolean imagePresent(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private record Running(Kind kind, String bootstrapServers, Runnable stopper) {
        void stop() {
            stopper.run();
        }
    }
}
