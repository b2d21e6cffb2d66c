package dev.tamperwatch.job.baseline;

import dev.tamperwatch.schema.avro.Event;

/**
 * Who acted in the most recent event of a key: the identity an alert names. A Flink POJO kept in
 * keyed state so that alerts raised from timers still carry it.
 */
public class Actor {
    public String tenantId;
    public String principalType;
    public String principalId;
    public String onBehalfOfType;
    public String onBehalfOfId;
    public String agentId;
    public String agentName;
    public String applicationId;
    public String traceId;
    public String modelName;

    /** Event time of the event, epoch milliseconds. */
    public long time;

    public Actor() {}

    /** The actor of an event. */
    public static Actor of(Event event) {
        Actor actor = new Actor();
        actor.tenantId = event.getTenantId();
        actor.principalType = event.getPrincipal().getType().name();
        actor.principalId = event.getPrincipal().getId();
        if (event.getOnBehalfOf() != null) {
            actor.onBehalfOfType = event.getOnBehalfOf().getType().name();
            actor.onBehalfOfId = event.getOnBehalfOf().getId();
        }
        if (event.getAgent() != null) {
            actor.agentId = event.getAgent().getId();
            actor.agentName = event.getAgent().getName();
        }
        actor.applicationId = event.getApplicationId();
        actor.traceId = event.getTraceId();
        actor.time = event.getEventTime().toEpochMilli();
        if (event.getModel() != null) {
            actor.modelName = event.getModel().getName();
        }
        return actor;
    }
}
