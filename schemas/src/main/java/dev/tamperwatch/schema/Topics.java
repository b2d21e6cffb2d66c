package dev.tamperwatch.schema;

/** Kafka topic names and the record key convention of Tamperwatch. */
public final class Topics {

    /**
     * Events from applications; Avro single-object encoding (or JSON), key {@code
     * tenant/principal}.
     */
    public static final String EVENTS = "tw.events.v1";

    /** Deviation alerts as OCSF Detection Finding JSON, key = finding uid. */
    public static final String ALERTS = "tw.alerts.v1";

    /** Records that could not be decoded or validated: original bytes plus reason headers. */
    public static final String DEAD_LETTER = "tw.deadletter.v1";

    /** Compacted detector configuration, allow-lists, suppressions and approved model digests. */
    public static final String CONTROL = "tw.control.v1";

    private Topics() {}

    /** The record key of an event: {@code tenant/principal}. */
    public static String eventKey(String tenantId, String principalId) {
        return tenantId + "/" + principalId;
    }
}
