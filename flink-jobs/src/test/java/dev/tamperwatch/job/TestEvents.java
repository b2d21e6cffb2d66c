package dev.tamperwatch.job;

import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.AgentRef;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.Principal;
import dev.tamperwatch.schema.avro.PrincipalType;
import java.time.Instant;
import java.util.UUID;

/** Minimal valid events for pipeline tests, with ids derived from a counter so runs repeat. */
public final class TestEvents {

    public static final String TENANT = "acme";

    private long counter;

    /** A deterministic UUID for the next event. */
    public String nextId() {
        return new UUID(0x7a3c_0000_0000_4000L, 0x8000_0000_0000_0000L | ++counter).toString();
    }

    /** A model output of a user; refused or not. */
    public Event output(String user, long timeMillis, boolean refused) {
        return Event.newBuilder()
                .setEventId(nextId())
                .setEventTime(Instant.ofEpochMilli(timeMillis))
                .setKind(EventKind.OUTPUT)
                .setTenantId(TENANT)
                .setPrincipal(new Principal(PrincipalType.USER, user))
                .setPayload(
                        OutputPayload.newBuilder()
                                .setRefused(refused)
                                .setLengthChars(120)
                                .setOutputTokens(30)
                                .build())
                .build();
    }

    /** A tool call by an agent acting for a user. */
    public Event action(String agent, String user, long timeMillis, String tool) {
        return Event.newBuilder()
                .setEventId(nextId())
                .setEventTime(Instant.ofEpochMilli(timeMillis))
                .setKind(EventKind.AGENT_ACTION)
                .setTenantId(TENANT)
                .setPrincipal(new Principal(PrincipalType.AGENT, agent))
                .setOnBehalfOf(new Principal(PrincipalType.USER, user))
                .setAgent(new AgentRef(agent, "support agent", "1.0"))
                .setTraceId("trace-" + counter)
                .setPayload(
                        AgentActionPayload.newBuilder()
                                .setToolName(tool)
                                .setTarget("internal.acme.example")
                                .build())
                .build();
    }
}
