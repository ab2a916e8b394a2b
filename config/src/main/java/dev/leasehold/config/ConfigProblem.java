package dev.leasehold.config;

/**
 * One thing wrong with a configuration file, placed so an operator can go straight to it.
 *
 * @param file the file name as the loader was given it
 * @param line the 1-based line in the file, or 0 when the problem has no line (an unreadable file)
 * @param path where in the document: {@code subnets[1].pools[0].end}; empty for the whole file
 * @param message what is wrong and, where it helps, what was expected
 */
public record ConfigProblem(String file, int line, String path, String message) {

    /** {@code file:line: path: message}, leaving out the parts that are unknown. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
        }
        out.append(": ");
        if (!path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }
}
