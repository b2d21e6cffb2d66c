package dev.tamperwatch.deploy.kafka;

/**
 * An embedded Kafka broker could not be started. The message carries the last lines of the broker's
 * log when one was written.
 */
public class KafkaStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaStartupException(String message) {
        super(message);
    }

    public KafkaStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
