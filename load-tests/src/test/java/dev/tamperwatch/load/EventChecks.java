package dev.tamperwatch.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.tamperwatch.schema.EventValidator;
import dev.tamperwatch.schema.avro.AgentActionPayload;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.PrincipalType;
import dev.tamperwatch.schema.avro.PromptPayload;
import dev.tamperwatch.schema.avro.PromptSource;
import dev.tamperwatch.schema.avro.Trust;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Asserts, event by event, that a stream is well formed: valid per {@link EventValidator}, in
 * non-decreasing time, common fields populated, payload matching kind, and every reference
 * (in_reply_to, caused_by, parent span) to an earlier event of the same trace.
 */
final class EventChecks {

    private record Seen(String traceId, EventKind kind, Trust trust) {}

    private final EventValidator validator =
            new EventValidator()
                    .withClock(Clock.fixed(Instant.parse("2100-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final Map<String, Seen> eventsById = new HashMap<>();
    private final Map<String, String> traceBySpan = new HashMap<>();
    private Instant previousTime = Instant.MIN;
    private long checked;

    void check(Event event) {
        assertThatNoException().isThrownBy(() -> validator.validate(event));
        assertThat(event.getEventTime()).isAfterOrEqualTo(previousTime);
        previousTime = event.getEventTime();
        assertThat(event.getApplicationId()).isNotNull();
        assertThat(event.getSessionId()).isNotNull();
        assertThat(event.getConversationId()).isNotNull();
        assertThat(event.getTraceId()).hasSize(32);
        assertThat(event.getSpanId()).hasSize(16);
        assertThat(event.getModel().getDigest()).startsWith("sha256:");
        checkPrincipals(event);
        if (event.getParentSpanId() != null) {
            assertThat(traceBySpan.get(event.getParentSpanId())).isEqualTo(event.getTraceId());
        }
        assertThat(traceBySpan.put(event.getSpanId(), event.getTraceId())).isNull();
        Trust trust = null;
        switch (event.getKind()) {
            case PROMPT -> trust = checkPrompt(event);
            case OUTPUT -> checkOutput(event);
            case AGENT_ACTION -> checkAction(event);
        }
        assertThat(
                        eventsById.put(
                                event.getEventId(),
                                new Seen(event.getTraceId(), event.getKind(), trust)))
                .isNull();
        checked++;
    }

    long checked() {
        return checked;
    }

    /** Whether the event with that id, already checked, is an untrusted prompt. */
    boolean isUntrustedPrompt(String eventId) {
        Seen seen = eventsById.get(eventId);
        return seen != null && seen.kind() == EventKind.PROMPT && seen.trust() == Trust.UNTRUSTED;
    }

    private void checkPrincipals(Event event) {
        if (event.getPrincipal().getType() == PrincipalType.AGENT) {
            assertThat(event.getAgent().getId()).isEqualTo(event.getPrincipal().getId());
            assertThat(event.getOnBehalfOf().getType()).isEqualTo(PrincipalType.USER);
        } else {
            assertThat(event.getPrincipal().getType()).isEqualTo(PrincipalType.USER);
            assertThat(event.getAgent()).isNull();
            assertThat(event.getOnBehalfOf()).isNull();
        }
    }

    private Trust checkPrompt(Event event) {
        assertThat(event.getPayload()).isInstanceOf(PromptPayload.class);
        PromptPayload prompt = (PromptPayload) event.getPayload();
        assertThat(prompt.getContentSha256()).hasSize(64);
        assertThat(prompt.getLengthChars()).isPositive();
        assertThat(prompt.getInputTokens()).isPositive();
        assertThat(prompt.getTrust())
                .isEqualTo(
                        prompt.getSource() == PromptSource.USER_INPUT
                                ? Trust.TRUSTED
                                : Trust.UNTRUSTED);
        return prompt.getTrust();
    }

    private void checkOutput(Event event) {
        assertThat(event.getPayload()).isInstanceOf(OutputPayload.class);
        OutputPayload output = (OutputPayload) event.getPayload();
        assertThat(eventsById.get(output.getInReplyTo()))
                .isEqualTo(new Seen(event.getTraceId(), EventKind.PROMPT, Trust.TRUSTED));
        assertThat(output.getRefusalCategory() != null).isEqualTo(output.getRefused());
        assertThat(output.getFinishReason()).isNotNull();
        assertThat(output.getOutputTokens()).isPositive();
        assertThat(output.getLatencyMs()).isPositive();
        if (event.getPrincipal().getType() == PrincipalType.USER) {
            assertThat(output.getLatencyMs()).isBetween(500L, 5_000L);
        }
    }

    private void checkAction(Event event) {
        assertThat(event.getPayload()).isInstanceOf(AgentActionPayload.class);
        AgentActionPayload action = (AgentActionPayload) event.getPayload();
        assertThat(action.getToolCallId()).startsWith("call_");
        assertThat(action.getArgumentsSha256()).hasSize(64);
        assertThat(action.getArgumentKeys()).isNotEmpty();
        assertThat(action.getTarget()).isNotBlank();
        assertThat(action.getStep()).isNotNegative();
        assertThat(action.getCausedBy()).isNotEmpty();
        for (String cause : action.getCausedBy()) {
            Seen seen = eventsById.get(cause);
            assertThat(seen).as("cause %s of %s", cause, event.getEventId()).isNotNull();
            assertThat(seen.traceId()).isEqualTo(event.getTraceId());
            assertThat(seen.kind()).isEqualTo(EventKind.PROMPT);
        }
    }
}
