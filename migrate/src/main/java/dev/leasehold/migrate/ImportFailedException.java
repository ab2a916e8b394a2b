package dev.leasehold.migrate;

/**
 * An import that cannot produce anything usable: a source file that cannot be read or parsed
 * (the message names the file and line), or a configuration with nothing Leasehold could serve.
 * Nothing has been written when it is thrown.
 */
public final class ImportFailedException extends Exception {

    public ImportFailedException(String message) {
        super(message);
    }

    public ImportFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code file:line: message}, the form every parser reports a malformed line in. */
    public static ImportFailedException at(String file, int line, String message) {
        return new ImportFailedException(file + ":" + line + ": " + message);
    }
}
