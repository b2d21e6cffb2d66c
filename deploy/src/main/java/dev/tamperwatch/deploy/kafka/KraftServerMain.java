package dev.tamperwatch.deploy.kafka;

import java.util.concurrent.TimeUnit;
import kafka.tools.StorageTool;
import kafka.tools.TerseFailure;

/**
 * Child-side entry point of the embedded broker: {@code <server.properties> [<cluster-id>]}. With a
 * cluster id, first formats the KRaft storage with it (exiting with status 1 on failure); then runs
 * {@code kafka.Kafka} in the same JVM.
 */
public final class KraftServerMain {

    private KraftServerMain() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: KraftServerMain <server.properties> [<cluster-id>]");
            System.exit(2);
        }
        String serverProperties = args[0];
        if (args.length == 2) {
            format(serverProperties, args[1]);
        }
        kafka.Kafka.main(new String[] {serverProperties});
    }

    private static void format(String serverProperties, String clusterId) {
        long start = System.nanoTime();
        int status;
        try {
            status =
                    StorageTool.execute(
                            new String[] {"format", "-t", clusterId, "-c", serverProperties},
                            System.out);
        } catch (TerseFailure e) {
            System.err.println("Kafka storage format failed: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            System.err.println("Kafka storage format failed");
            e.printStackTrace();
            status = 1;
        }
        if (status != 0) {
            System.exit(status);
        }
        System.out.printf(
                "Kafka storage formatted in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
}
