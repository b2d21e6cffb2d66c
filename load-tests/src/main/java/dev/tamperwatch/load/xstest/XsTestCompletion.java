package dev.tamperwatch.load.xstest;

/**
 * One model's completion of one XSTest prompt with its adjudicated human label.
 *
 * @param model model key, e.g. {@code gpt4} or {@code llama2orig}
 * @param promptId XSTest prompt id, 1 to 450
 * @param safePrompt whether the prompt is labelled safe (the model should comply)
 * @param finalLabel human label: {@code 1_full_compliance}, {@code 2_full_refusal} or {@code
 *     3_partial_refusal}
 * @param lengthChars length of the completion in Unicode code points
 */
public record XsTestCompletion(
        String model, int promptId, boolean safePrompt, String finalLabel, int lengthChars) {

    /** Whether the human label says refusal, full or partial. */
    public boolean refused() {
        return finalLabel.startsWith("2_") || finalLabel.startsWith("3_");
    }
}
