package dev.tamperwatch.job.baseline;

import dev.tamperwatch.schema.Topics;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.PrincipalType;
import java.io.Serializable;
import java.util.function.Function;

/** What a baseline is kept for, and how the key of that subject is read off an event. */
public enum Subject {
    /** The acting identity: {@code tenant/principal}. */
    PRINCIPAL("principal", e -> Topics.eventKey(e.getTenantId(), e.getPrincipal().getId())),
    /**
     * The agent: {@code tenant/agent}, from the agent reference or, without one, an AGENT
     * principal; null for events no agent took part in.
     */
    AGENT("agent", Subject::agentKey);

    private final String keyType;
    private final SerializableKeyFunction key;

    Subject(String keyType, SerializableKeyFunction key) {
        this.keyType = keyType;
        this.key = key;
    }

    /** Key type as alerts and labels name it: principal, agent, trace or application. */
    public String keyType() {
        return keyType;
    }

    /** The key of the event's subject, or null when the event has none. */
    public String keyOf(Event event) {
        return key.apply(event);
    }

    private static String agentKey(Event event) {
        if (event.getAgent() != null) {
            return Topics.eventKey(event.getTenantId(), event.getAgent().getId());
        }
        if (event.getPrincipal().getType() == PrincipalType.AGENT) {
            return Topics.eventKey(event.getTenantId(), event.getPrincipal().getId());
        }
        return null;
    }

    /** A key function Flink can ship to tasks. */
    interface SerializableKeyFunction extends Function<Event, String>, Serializable {}
}
