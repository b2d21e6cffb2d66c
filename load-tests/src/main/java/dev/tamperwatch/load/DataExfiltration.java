package dev.tamperwatch.load;

import dev.tamperwatch.schema.Topics;
import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.OutputPayload;
import java.time.Duration;
import java.util.List;

/**
 * Data exfiltration through the model: a stolen session (or an injected instruction) has the
 * assistant dump records into its answers. For the attack window, every answer the identity
 * receives that is not a refusal is {@code sizeFactor} times longer, in characters and in output
 * tokens; how often it asks and everything else stays as usual, so only its usage leaves its
 * baseline. Label: {@code principal} with the identity key and the window.
 *
 * @param identityKey the identity whose session is abused, {@code tenant/principal}; {@code null}
 *     picks one at random
 * @param duration length of the attack window, positive
 * @param sizeFactor how many times longer the answers are, greater than 1
 */
public record DataExfiltration(String identityKey, Duration duration, double sizeFactor)
        implements AttackScenario {

    /** The scenario name in labels. */
    public static final String NAME = "data-exfiltration";

    /** Answers carrying a table dump: 25 times the usual length, about 22,000 characters. */
    private static final double DEFAULT_SIZE_FACTOR = 25;

    /** Longest answer written, as {@link Sampling#chars} caps normal ones. */
    private static final int MAX_CHARS = 1_000_000;

    public DataExfiltration {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        if (!(sizeFactor > 1) || Double.isInfinite(sizeFactor)) {
            throw new IllegalArgumentException("sizeFactor must be finite and above 1");
        }
    }

    /** One hour of a random identity's answers, 25 times longer. */
    public static DataExfiltration randomIdentity() {
        return new DataExfiltration(null, Duration.ofHours(1), DEFAULT_SIZE_FACTOR);
    }

    /** One hour of that identity's answers, 25 times longer. */
    public static DataExfiltration against(String identityKey) {
        return new DataExfiltration(identityKey, Duration.ofHours(1), DEFAULT_SIZE_FACTOR);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Injection inject(AttackContext context) {
        Identity identity = context.identityOrRandom(identityKey);
        Label label = context.label(NAME, Label.KeyType.PRINCIPAL, identity.key(), duration);
        return new AlteringInjection(List.of(label)) {
            @Override
            public Event alter(Event normal) {
                if (normal.getPayload() instanceof OutputPayload output
                        && !output.getRefused()
                        && label.covers(normal.getEventTime())
                        && identity.key()
                                .equals(
                                        Topics.eventKey(
                                                normal.getTenantId(),
                                                normal.getPrincipal().getId()))) {
                    output.setLengthChars(scaled(output.getLengthChars()));
                    output.setOutputTokens(scaled(output.getOutputTokens()));
                }
                return normal;
            }
        };
    }

    private Integer scaled(Integer size) {
        return size == null ? null : (int) Math.min(MAX_CHARS, Math.round(size * sizeFactor));
    }
}
