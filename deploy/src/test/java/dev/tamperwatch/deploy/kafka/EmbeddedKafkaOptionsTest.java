package dev.tamperwatch.deploy.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaOptionsTest {

    private final EmbeddedKafka.Options defaults = EmbeddedKafka.Options.defaults();

    @Test
    void defaultsUseATemporaryDirectoryAndThisClassPath() {
        assertThat(defaults.dataDir()).isNull();
        assertThat(defaults.heap()).isEqualTo("512m");
        assertThat(defaults.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.effectiveClasspath()).isEqualTo(System.getProperty("java.class.path"));
        assertThat(defaults.withClasspath("a.jar").effectiveClasspath()).isEqualTo("a.jar");
    }

    @Test
    void rejectsManagedPropertiesAndBadValues() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> defaults.withBrokerProperty("listeners", "PLAINTEXT://:9092"));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withHeap("lots"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> defaults.withStartupTimeout(Duration.ZERO));
    }

    @Test
    void brokerPropertiesOverrideDefaults() {
        EmbeddedKafka.Options options =
                defaults.withBrokerProperty("num.partitions", "3")
                        .withBrokerProperty("log.retention.ms", "60000");

        Properties server =
                BrokerConfig.serverProperties(
                        9092, 9093, Path.of("/data/logs"), options.brokerProperties());

        assertThat(server)
                .containsAllEntriesOf(
                        Map.of(
                                "num.partitions", "3",
                                "log.retention.ms", "60000",
                                "process.roles", "broker,controller",
                                "controller.quorum.voters", "1@127.0.0.1:9093",
                                "advertised.listeners", "PLAINTEXT://127.0.0.1:9092",
                                "offsets.topic.replication.factor", "1",
                                "transaction.state.log.min.isr", "1",
                                "share.coordinator.state.topic.replication.factor", "1",
                                "group.initial.rebalance.delay.ms", "0",
                                "auto.create.topics.enable", "false"));
    }
}
