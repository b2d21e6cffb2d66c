package dev.tamperwatch.job.baseline;

import dev.tamperwatch.schema.Topics;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.PrincipalType;
import java.io.Serializable;
import java.util.function.Function;

/** What a baseline is kept for, and how the key of that subject is read off an event. */
public enum Subject {
    /**
     * The acting identity, {@code tenant/principal}, unless it is an agent; its peers are the
     * identities of the same application, {@code tenant/application}.
     */
    PRINCIPAL("principal", "identity", Subject::principalKey, Subject::applicationKey),
    /**
     * The agent: {@code tenant/agent}, from the agent reference or, without one, an AGENT
     * principal; null for events no agent took part in. Its peers are the agents of the same name
     * (agent type), {@code tenant/name}.
     */
    AGENT("agent", "agent", Subject::agentKey, Subject::agentTypeKey),
    /**
     * The model answering: {@code tenant/model name}; null for events without a named model. Its
     * peers are the models of the same provider, {@code tenant/provider}.
     */
    MODEL("model", "model", Subject::modelKey, Subject::providerKey),
    /**
     * The identity an agent acted for, {@code tenant/on_behalf_of}, on the agent actions taken on
     * its behalf: which tools, transitions and targets its agents ever used for it (novelty only:
     * the mix follows whichever agents it chooses). Alerts name it as a principal. Its peers are
     * the identities of the same application.
     */
    DELEGATOR("principal", "delegated", Subject::delegatorKey, Subject::applicationKey);

    private final String keyType;
    private final String operatorName;
    private final SerializableKeyFunction key;
    private final SerializableKeyFunction peerKey;

    Subject(
            String keyType,
            String operatorName,
            SerializableKeyFunction key,
            SerializableKeyFunction peerKey) {
        this.keyType = keyType;
        this.operatorName = operatorName;
        this.key = key;
        this.peerKey = peerKey;
    }

    /**
     * Key type as alerts and labels name it: principal, agent or model. Two subjects may share one
     * (an identity's own events and its agents' actions are both about a principal).
     */
    public String keyType() {
        return keyType;
    }

    /** Unique short name of the subject's operators, part of their uids: e.g. {@code identity}. */
    public String operatorName() {
        return operatorName;
    }

    /**
     * Whether a key's events are scored in event-time order, once the watermark has passed them: a
     * model's, which come from every partition of the events topic, and a delegator's, which come
     * from the partitions of every agent acting for it. A job catching up reads partitions a fetch
     * at a time, hours of one before hours of another. An identity's or an agent's events come from
     * one partition, in order, and are scored at once.
     */
    public boolean ordersEvents() {
        return this == MODEL || this == DELEGATOR;
    }

    /** The key of the event's subject, or null when the event has none. */
    public String keyOf(Event event) {
        return key.apply(event);
    }

    /** The key of the event subject's peer group, or null when it has none. */
    public String peerKeyOf(Event event) {
        return peerKey.apply(event);
    }

    /** Identities that are agents are watched as agents, not twice. */
    private static String principalKey(Event event) {
        if (event.getPrincipal().getType() == PrincipalType.AGENT) {
            return null;
        }
        return Topics.eventKey(event.getTenantId(), event.getPrincipal().getId());
    }

    private static String delegatorKey(Event event) {
        if (event.getKind() != EventKind.AGENT_ACTION || event.getOnBehalfOf() == null) {
            return null;
        }
        return Topics.eventKey(event.getTenantId(), event.getOnBehalfOf().getId());
    }

    private static String applicationKey(Event event) {
        return event.getApplicationId() == null
                ? null
                : Topics.eventKey(event.getTenantId(), event.getApplicationId());
    }

    private static String modelKey(Event event) {
        if (event.getModel() == null || event.getModel().getName() == null) {
            return null;
        }
        return Topics.eventKey(event.getTenantId(), event.getModel().getName());
    }

    private static String providerKey(Event event) {
        if (event.getModel() == null || event.getModel().getProvider() == null) {
            return null;
        }
        return Topics.eventKey(event.getTenantId(), event.getModel().getProvider());
    }

    private static String agentTypeKey(Event event) {
        if (event.getAgent() == null || event.getAgent().getName() == null) {
            return null;
        }
        return Topics.eventKey(event.getTenantId(), event.getAgent().getName());
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
