package dev.tamperwatch.schema;

/**
 * An event (or control record) that cannot be decoded or fails validation.
 *
 * <p>The message is {@code "<field>: <problem>"}, where {@link #field()} is the dotted path of the
 * offending value in Avro field names ({@code principal.id}, {@code payload.embedding[3]}), or one
 * of the pseudo fields {@code <bytes>} (the raw value is not a decodable record) and {@code <json>}
 * (the text is not a JSON object).
 */
public final class MalformedEventException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Pseudo field naming a raw value that cannot be decoded at all. */
    public static final String BYTES = "<bytes>";

    /** Pseudo field naming text that is not a well-formed JSON object. */
    public static final String JSON = "<json>";

    private final String field;

    public MalformedEventException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public MalformedEventException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
    }

    /** Dotted path of the offending value, or {@link #BYTES} / {@link #JSON}. */
    public String field() {
        return field;
    }
}
