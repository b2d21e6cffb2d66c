package dev.tamperwatch.deploy.kafka;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;

/** Runs the embedded broker with the Tamperwatch topics until interrupted (Ctrl-C). */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description =
                "Run a single-node KRaft Kafka broker with the Tamperwatch topics until Ctrl-C.")
public final class BrokerCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                Admin admin = kafka.newAdmin()) {
            TamperwatchTopics.create(admin, (short) 1);
            System.out.println(
                    "Kafka (KRaft) ready; bootstrap servers " + kafka.bootstrapServers());
            System.out.println("topics: " + TamperwatchTopics.definitions((short) 1));
            System.out.println("Ctrl-C stops the broker.");
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
