package dev.tamperwatch.client;

import dev.tamperwatch.schema.CanonicalJson;
import dev.tamperwatch.schema.Hashing;
import dev.tamperwatch.schema.avro.ActionStatus;
import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An agent action: a tool call. Status defaults to OK. */
public final class ActionCall extends Call<ActionCall> {

    private final String toolName;
    private String toolType;
    private String toolCallId;
    private String argumentsJson;
    private List<String> argumentKeys = List.of();
    private String target;
    private ActionStatus status = ActionStatus.OK;
    private final List<String> causedBy = new ArrayList<>();
    private Integer step;

    ActionCall(Actor actor, String toolName) {
        super(actor);
        this.toolName = toolName;
    }

    @Override
    ActionCall self() {
        return this;
    }

    /** gen_ai.tool.type, e.g. {@code function}, {@code extension}, {@code datastore}. */
    public ActionCall toolType(String toolType) {
        this.toolType = toolType;
        return this;
    }

    /** gen_ai.tool.call.id */
    public ActionCall toolCallId(String toolCallId) {
        this.toolCallId = toolCallId;
        return this;
    }

    /**
     * The tool-call arguments. They are reduced to {@code arguments_sha256} (SHA-256 of their
     * {@link CanonicalJson} form) and the sorted top-level {@code argument_keys}, and leave the
     * process only if the client sends raw content. Serialized now, so later changes to the map do
     * not matter.
     *
     * @throws IllegalArgumentException if the values cannot be written as JSON
     */
    public ActionCall arguments(Map<String, ?> arguments) {
        Objects.requireNonNull(arguments, "arguments");
        this.argumentsJson = CanonicalJson.write(arguments);
        this.argumentKeys = arguments.keySet().stream().sorted().toList();
        return this;
    }

    /** The resource touched: a domain, table, path or recipient. */
    public ActionCall target(String target) {
        this.target = target;
        return this;
    }

    public ActionCall status(ActionStatus status) {
        this.status = status;
        return this;
    }

    /** Adds the prompts or tool results that led to this action. */
    public ActionCall causedBy(Event... causes) {
        for (Event cause : causes) {
            causedBy.add(cause.getEventId());
        }
        return this;
    }

    /** Adds the {@code event_id}s of the prompts or tool results that led to this action. */
    public ActionCall causedBy(String... eventIds) {
        causedBy.addAll(List.of(eventIds));
        return this;
    }

    /** Index of this action in the agent run, from 0. */
    public ActionCall step(int step) {
        this.step = step;
        return this;
    }

    @Override
    EventKind kind() {
        return EventKind.AGENT_ACTION;
    }

    @Override
    Object payload() {
        AgentActionPayload payload = new AgentActionPayload();
        payload.setToolName(toolName);
        payload.setToolType(toolType);
        payload.setToolCallId(toolCallId);
        payload.setArgumentsSha256(argumentsJson == null ? null : Hashing.sha256Hex(argumentsJson));
        payload.setArgumentKeys(new ArrayList<>(argumentKeys));
        payload.setTarget(target);
        payload.setStatus(status);
        payload.setCausedBy(new ArrayList<>(causedBy));
        payload.setStep(step);
        return payload;
    }

    @Override
    Map<String, String> rawContent() {
        return argumentsJson == null
                ? Map.of()
                : Map.of(TamperwatchClient.ARGUMENTS_ATTRIBUTE, argumentsJson);
    }
}
