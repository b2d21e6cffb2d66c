package dev.tamperwatch.deploy.kafka;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child-side entry point that ties a child JVM's life to its parent: runs {@code <main-class>
 * [args...]} and halts the JVM as soon as standard input reaches end-of-file.
 *
 * <p>The parent must keep the write end of the child's stdin pipe open and write nothing to it. The
 * operating system closes that pipe when the parent dies for any reason, including {@code SIGKILL},
 * so the child cannot outlive it. If the system property {@value #DELETE_ON_ORPHAN} names a
 * directory, it is deleted (best effort) before halting.
 */
public final class ParentWatchdogMain {

    /** System property: a directory to delete when the parent is gone. */
    public static final String DELETE_ON_ORPHAN = "tamperwatch.watchdog.deleteOnOrphan";

    /** Exit status of a child halted because its parent is gone. */
    public static final int ORPHAN_EXIT_STATUS = 137;

    private ParentWatchdogMain() {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ParentWatchdogMain <main-class> [args...]");
            System.exit(2);
        }
        Thread watchdog = new Thread(ParentWatchdogMain::haltOnStdinEof, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void haltOnStdinEof() {
        try {
            while (System.in.read() != -1) {
                // The parent writes nothing; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone as well.
        }
        System.err.println("Parent process gone (stdin closed); halting.");
        String orphanDir = System.getProperty(DELETE_ON_ORPHAN);
        if (orphanDir != null && !orphanDir.isBlank()) {
            Directories.deleteRecursively(Path.of(orphanDir));
        }
        Runtime.getRuntime().halt(ORPHAN_EXIT_STATUS);
    }
}
