package dev.leasehold.cli;

import dev.leasehold.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.DateTimeException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Reports an exception that escaped a command as one line an operator can act on, prefixed with
 * the command ({@code leasehold client: ...}): a bad value given by the user exits with
 * {@link ExitCode#USAGE}, anything else with {@link ExitCode#FAILURE}. The stack trace follows
 * only with {@code LEASEHOLD_LOG_LEVEL=debug}: a user error is never answered with one.
 */
final class FailureReport implements IExecutionExceptionHandler {

    private final boolean withStackTrace;

    FailureReport(boolean withStackTrace) {
        this.withStackTrace = withStackTrace;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        boolean userError = isUserError(e);
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + describe(e, userError));
        if (userError) {
            err.println("(see " + name + " --help)");
        } else if (!withStackTrace) {
            err.println("(LEASEHOLD_LOG_LEVEL=debug shows where it failed)");
        }
        if (withStackTrace) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return (userError ? ExitCode.USAGE : ExitCode.FAILURE).value();
    }

    /** Values the user typed that a command found wrong only when it used them. */
    static boolean isUserError(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof DateTimeException || e instanceof ConfigException;
    }

    /** The exception's own message, or its kind when it has none (a bug, most likely). */
    static String describe(Throwable e, boolean userError) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "failed: " + e.getClass().getSimpleName();
        }
        if (e instanceof NumberFormatException) {
            return "not a number: " + message.replaceFirst("^For input string: ", "");
        }
        return userError || e instanceof IOException ? message : e.getClass().getSimpleName() + ": " + message;
    }
}
