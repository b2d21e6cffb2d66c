package dev.tamperwatch.deploy.kafka;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches a Java main class in a child JVM wrapped by {@link ParentWatchdogMain}, so that the
 * child halts when this JVM dies. The command line goes to an {@code @argfile} (no length limit on
 * the class path); standard output and error are appended to a log file; standard input is a pipe
 * that the caller must keep open for as long as the child should live.
 */
final class ChildJvm {

    private final String classpath;
    private final List<String> jvmOptions;
    private final Path workDir;
    private final Path logFile;

    /**
     * @param classpath class path of the child; the location of {@link ParentWatchdogMain} is
     *     appended
     * @param jvmOptions options placed before {@code -cp}
     * @param workDir working directory of the child; argfiles are written here
     * @param logFile receives the child's standard output and error (appended)
     */
    ChildJvm(String classpath, List<String> jvmOptions, Path workDir, Path logFile) {
        this.classpath = withWatchdog(classpath);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.workDir = workDir;
        this.logFile = logFile;
    }

    /** Starts {@code mainClass args...}; {@code name} names the argfile. */
    Process start(String name, String mainClass, List<String> args) throws IOException {
        List<String> argv = new ArrayList<>(jvmOptions);
        argv.add("-cp");
        argv.add(classpath);
        argv.add(ParentWatchdogMain.class.getName());
        argv.add(mainClass);
        argv.addAll(args);
        Path argFile = workDir.resolve(name + ".jvmargs");
        Files.write(argFile, argv.stream().map(ChildJvm::quote).toList());

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "@" + argFile)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    /** Quotes one argument for a java launcher argfile. */
    private static String quote(String arg) {
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String withWatchdog(String classpath) {
        CodeSource source = ParentWatchdogMain.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return classpath;
        }
        try {
            String own = Path.of(source.getLocation().toURI()).toString();
            return classpath.isEmpty() ? own : classpath + File.pathSeparator + own;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return classpath;
        }
    }
}
