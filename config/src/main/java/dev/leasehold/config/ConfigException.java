package dev.leasehold.config;

import java.util.List;

/**
 * A configuration was refused. It carries every problem found, not only the first, so one edit
 * can fix them all; the message is one rendered {@link ConfigProblem} per line, in file order.
 */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems in the order of their lines in the file. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        StringBuilder out = new StringBuilder();
        for (ConfigProblem problem : problems) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(problem);
        }
        return out.toString();
    }
}
