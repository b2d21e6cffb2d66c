package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.AgentRef;
import dev.tamperwatch.schema.avro.ModelRef;
import dev.tamperwatch.schema.avro.Principal;
import dev.tamperwatch.schema.avro.PrincipalType;

/**
 * The common fields of the events of one conversation: who acts, for whom, where and with which
 * model.
 */
record Envelope(
        String tenantId,
        PrincipalType principalType,
        String principalId,
        String onBehalfOfUserId,
        Application application,
        Agent agent,
        String sessionId,
        String conversationId) {

    /** A human chatting with its application. */
    static Envelope chat(Identity identity, String sessionId, String conversationId) {
        return new Envelope(
                identity.tenantId(),
                PrincipalType.USER,
                identity.id(),
                null,
                identity.application(),
                null,
                sessionId,
                conversationId);
    }

    /** An agent acting for a user. */
    static Envelope agentRun(Agent agent, Identity user, String sessionId, String conversationId) {
        return new Envelope(
                agent.tenantId(),
                PrincipalType.AGENT,
                agent.id(),
                user.id(),
                agent.application(),
                agent,
                sessionId,
                conversationId);
    }

    Principal principal() {
        return new Principal(principalType, principalId);
    }

    Principal onBehalfOf() {
        return onBehalfOfUserId == null
                ? null
                : new Principal(PrincipalType.USER, onBehalfOfUserId);
    }

    AgentRef agentRef() {
        return agent == null ? null : new AgentRef(agent.id(), agent.name(), agent.version());
    }

    ModelRef model() {
        return application.model().toModelRef();
    }
}
