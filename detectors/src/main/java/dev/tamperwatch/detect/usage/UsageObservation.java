package dev.tamperwatch.detect.usage;

/**
 * Sizes reported by one event of an identity: an output (its tokens and characters) or a prompt
 * (its input tokens). Any size may be absent.
 *
 * <p>An observation with an output size is scored as an output; input and output tokens both count
 * towards the window's token use. Report each token count on one event only — input tokens on the
 * prompt, or on the output when the model reports them there — so none is counted twice.
 *
 * @param outputTokens tokens of the output, or null
 * @param lengthChars length of the output in characters, or null; prompt lengths are not scored
 * @param inputTokens tokens of the prompt, or null
 * @param eventId id of the event, kept as evidence; may be null
 * @throws IllegalArgumentException when a size is negative
 */
public record UsageObservation(
        Integer outputTokens, Integer lengthChars, Integer inputTokens, String eventId) {

    public UsageObservation {
        requireNonNegative("outputTokens", outputTokens);
        requireNonNegative("lengthChars", lengthChars);
        requireNonNegative("inputTokens", inputTokens);
    }

    /** An output with its token count and length, either of which may be null. */
    public static UsageObservation output(
            Integer outputTokens, Integer lengthChars, String eventId) {
        return new UsageObservation(outputTokens, lengthChars, null, eventId);
    }

    /** A prompt with its input token count, which may be null. */
    public static UsageObservation prompt(Integer inputTokens, String eventId) {
        return new UsageObservation(null, null, inputTokens, eventId);
    }

    /** Whether this observation carries an output size. */
    public boolean isOutput() {
        return outputTokens != null || lengthChars != null;
    }

    /** Whether this observation carries a token count. */
    public boolean hasTokens() {
        return outputTokens != null || inputTokens != null;
    }

    /** Input plus output tokens, absent ones as zero. */
    public long tokens() {
        return (outputTokens == null ? 0L : outputTokens)
                + (inputTokens == null ? 0L : inputTokens);
    }

    private static void requireNonNegative(String name, Integer value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
    }
}
