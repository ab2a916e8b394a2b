package dev.leasehold.testkit.netns;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line for running a main class in a separate JVM, e.g. the Leasehold server inside
 * a lab namespace: {@code lab.start("leasehold", ns, JavaCommand.ofCurrentJvm().main(
 * "dev.leasehold.cli.Main", "serve", "--config", file))}.
 *
 * @param java       the java launcher
 * @param classPath  the class path the child gets
 * @param jvmOptions options placed before the main class
 */
public record JavaCommand(Path java, String classPath, List<String> jvmOptions) {

    public JavaCommand {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The running JVM's launcher and class path. Under Maven Surefire {@code java.class.path} may
     * be a manifest-only booter jar; {@code surefire.test.class.path} then holds the real one.
     */
    public static JavaCommand ofCurrentJvm() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // The net module calls into libc through FFM; small heap, no JIT warm-up tuning: tests are short.
        return new JavaCommand(java, classPath, List.of("--enable-native-access=ALL-UNNAMED", "-Xmx256m"));
    }

    /** Adds JVM options (heap size, system properties, JFR) before the main class. */
    public JavaCommand withOptions(String... options) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(List.of(options));
        return new JavaCommand(java, classPath, all);
    }

    /** {@code java [options] -cp CLASSPATH mainClass args...} */
    public List<String> main(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}
