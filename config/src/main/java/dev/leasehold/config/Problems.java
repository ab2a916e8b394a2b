package dev.leasehold.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem found while reading one file, so that all of them are reported at once. */
final class Problems {

    private final String file;
    private final List<ConfigProblem> found = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void report(int line, String path, String message) {
        found.add(new ConfigProblem(file, line, path, message));
    }

    void report(RawNode at, String path, String message) {
        report(at.line(), path, message);
    }

    boolean any() {
        return !found.isEmpty();
    }

    int count() {
        return found.size();
    }

    /** Throws when anything was reported, listing the problems in line order. */
    void throwIfAny() throws ConfigException {
        if (!found.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparingInt(ConfigProblem::line));
            throw new ConfigException(sorted);
        }
    }
}
