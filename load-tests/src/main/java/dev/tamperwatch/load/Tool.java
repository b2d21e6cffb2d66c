package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.PromptSource;
import java.util.List;
import java.util.Objects;

/**
 * A tool agents can call.
 *
 * @param name {@code gen_ai.tool.name}
 * @param type {@code gen_ai.tool.type}: {@code function}, {@code extension} or {@code datastore}
 * @param argumentKeys names of the call's arguments
 * @param resultSource how the tool's result re-enters the model as an untrusted prompt
 * @param resultProbability probability that a call's result is fed back as such a prompt
 * @param targets resources the tool touches; {@code {tenant}} stands for the tenant id
 */
public record Tool(
        String name,
        String type,
        List<String> argumentKeys,
        PromptSource resultSource,
        double resultProbability,
        List<String> targets) {

    public Tool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(resultSource, "resultSource");
        argumentKeys = List.copyOf(argumentKeys);
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("tool " + name + " needs a target");
        }
    }

    /** Whether results of this tool carry third-party content (documents, web pages, mail). */
    public boolean readsExternalContent() {
        return resultSource != PromptSource.TOOL_RESULT && resultProbability > 0;
    }
}
