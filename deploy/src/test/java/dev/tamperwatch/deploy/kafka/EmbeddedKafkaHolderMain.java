package dev.tamperwatch.deploy.kafka;

/**
 * Starts an {@link EmbeddedKafka}, prints {@code BROKER_PID=<pid>} and {@code DATA_DIR=<dir>}, then
 * sleeps forever, or exits normally at once when the first argument is {@code exit}.
 */
public final class EmbeddedKafkaHolderMain {

    static final String PID_PREFIX = "BROKER_PID=";
    static final String DATA_DIR_PREFIX = "DATA_DIR=";

    private EmbeddedKafkaHolderMain() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        System.out.println(PID_PREFIX + kafka.pid());
        System.out.println(DATA_DIR_PREFIX + kafka.dataDir());
        System.out.flush();
        if (args.length > 0 && args[0].equals("exit")) {
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
