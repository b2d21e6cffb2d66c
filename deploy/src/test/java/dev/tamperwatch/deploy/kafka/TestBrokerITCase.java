package dev.tamperwatch.deploy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.schema.Topics;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TestBrokerITCase {

    /** A topic of its own, so the Tamperwatch topics stay clean for the pipeline tests. */
    private static final String SCRATCH_TOPIC = "test.round-trip";

    @Test
    void sharedBrokerServesTamperwatchTopics() throws Exception {
        assertThat(TestBroker.kind()).isNotNull();
        try (Admin admin = TestBroker.newAdmin()) {
            TamperwatchTopics.create(admin, (short) 1);
            assertThat(admin.listTopics().names().get())
                    .contains(Topics.EVENTS, Topics.ALERTS, Topics.DEAD_LETTER, Topics.CONTROL);
        }
        try (Admin admin = TestBroker.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(SCRATCH_TOPIC, 1, (short) 1))).all().get();
        }
        KafkaRoundTrip.assertRoundTrip(TestBroker.bootstrapServers(), SCRATCH_TOPIC);
    }

    @Test
    void isSharedWithinTheJvm() {
        assertThat(TestBroker.bootstrapServers()).isEqualTo(TestBroker.bootstrapServers());
    }
}
