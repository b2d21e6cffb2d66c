package dev.tamperwatch.load;

import java.util.List;
import java.util.Objects;

/**
 * An AI application of a tenant and the model it calls.
 *
 * @param id {@code application_id}; also the prefix of its agents' ids
 * @param model the model every event of the application names
 */
public record Application(String id, ModelSpec model) {

    public Application {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
    }

    /** Five applications with realistic models, most used first. */
    public static List<Application> defaults() {
        return List.of(
                new Application("support-chat", ModelSpec.of("openai", "gpt-4o", "2024-08-06")),
                new Application("crm", ModelSpec.of("anthropic", "claude-sonnet-4", "20250514")),
                new Application("code-assist", ModelSpec.of("mistral_ai", "codestral", "2501")),
                new Application(
                        "hr-helpdesk",
                        ModelSpec.of("aws.bedrock", "meta.llama3-1-70b-instruct", "v1:0")),
                new Application(
                        "analytics",
                        ModelSpec.of("azure.ai.openai", "gpt-4.1-mini", "2025-04-14")));
    }
}
