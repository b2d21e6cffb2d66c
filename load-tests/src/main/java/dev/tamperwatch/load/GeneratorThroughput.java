package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.util.Iterator;

/**
 * Measures how fast one thread generates the default profile's traffic.
 *
 * <p>Usage: {@code GeneratorThroughput [events [warm-up events]]}, defaults 5,000,000 and
 * 1,000,000. Prints events per second.
 */
public final class GeneratorThroughput {

    private GeneratorThroughput() {}

    public static void main(String[] args) {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
        long warmUp = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        Iterator<Event> stream = new TrafficGenerator(TrafficProfile.defaults(1)).events();
        consume(stream, warmUp);
        long began = System.nanoTime();
        long checksum = consume(stream, events);
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf(
                "%,d events in %.2f s: %,.0f events/s (checksum %d)%n",
                events, seconds, events / seconds, checksum);
    }

    private static long consume(Iterator<Event> stream, long count) {
        long checksum = 0;
        for (long i = 0; i < count; i++) {
            checksum += stream.next().getEventTime().toEpochMilli();
        }
        return checksum;
    }
}
