package dev.tamperwatch.load.xstest;

import java.util.List;
import java.util.SplittableRandom;

/**
 * An endless stream of one model's completions: passes over all of them, each pass in a fresh
 * seeded shuffle, so every window holds the model's real mix of prompts and refusals.
 */
final class CompletionStream {

    private final XsTestCompletion[] completions;
    private final SplittableRandom random;
    private int next;

    CompletionStream(List<XsTestCompletion> completions, SplittableRandom random) {
        if (completions.isEmpty()) {
            throw new IllegalArgumentException("no completions");
        }
        this.completions = completions.toArray(XsTestCompletion[]::new);
        this.random = random;
        this.next = this.completions.length;
    }

    XsTestCompletion next() {
        if (next == completions.length) {
            for (int i = completions.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                XsTestCompletion swap = completions[i];
                completions[i] = completions[j];
                completions[j] = swap;
            }
            next = 0;
        }
        return completions[next++];
    }
}
