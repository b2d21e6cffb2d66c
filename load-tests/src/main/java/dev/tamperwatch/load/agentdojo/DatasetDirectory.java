package dev.tamperwatch.load.agentdojo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the shared third-party datasets live: the directory named by the system property {@value
 * #PROPERTY}, else the first {@code shared/datasets} found walking up from the working directory.
 */
public final class DatasetDirectory {

    /** System property naming the datasets directory. */
    public static final String PROPERTY = "tamperwatch.datasets";

    private DatasetDirectory() {}

    /** The datasets directory, if one can be found. */
    public static Optional<Path> locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The AgentDojo directory, if the datasets directory holds its task files. */
    public static Optional<Path> agentDojo() {
        return locate().map(dir -> dir.resolve("agent"))
                .filter(dir -> Files.isRegularFile(dir.resolve(AgentDojoData.USER_TASKS)))
                .filter(dir -> Files.isRegularFile(dir.resolve(AgentDojoData.INJECTION_TASKS)));
    }
}
