package dev.tamperwatch.deploy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.schema.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class TestBrokerITCase {

    @Test
    void sharedBrokerServesTamperwatchTopics() throws Exception {
        assertThat(TestBroker.kind()).isNotNull();
        try (Admin admin = TestBroker.newAdmin()) {
            TamperwatchTopics.create(admin, (short) 1);
            assertThat(admin.listTopics().names().get())
                    .contains(Topics.EVENTS, Topics.ALERTS, Topics.DEAD_LETTER, Topics.CONTROL);
        }
        KafkaRoundTrip.assertRoundTrip(TestBroker.bootstrapServers(), Topics.ALERTS);
    }

    @Test
    void isSharedWithinTheJvm() {
        assertThat(TestBroker.bootstrapServers()).isEqualTo(TestBroker.bootstrapServers());
    }
}
