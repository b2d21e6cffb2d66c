package dev.tamperwatch.schema;

/** Header names carried by every record on {@link Topics#DEAD_LETTER}; values are UTF-8 strings. */
public final class DeadLetterHeaders {

    public static final String ERROR_CLASS = "error.class";
    public static final String ERROR_MESSAGE = "error.message";
    public static final String SOURCE_TOPIC = "source.topic";
    public static final String SOURCE_PARTITION = "source.partition";
    public static final String SOURCE_OFFSET = "source.offset";

    private DeadLetterHeaders() {}
}
