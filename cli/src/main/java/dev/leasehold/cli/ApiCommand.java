package dev.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the control API. Exit codes: 0 done, 1 the API refused (its message
 * is printed), 3 the API could not be reached or the token file read.
 */
abstract class ApiCommand implements Callable<Integer> {

    static final int REFUSED = 1;
    static final int UNREACHABLE = 3;

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    /** Does the work; the answer is printed by the command. */
    abstract int run(ApiClient client) throws Exception;

    /**
     * Checks the arguments picocli cannot (times, say) before anything is sent; throws
     * {@link picocli.CommandLine.ParameterException} for a bad one (usage error, exit 2).
     */
    void checkArguments() {
    }

    /** A bad argument value, reported as picocli reports its own: message, usage, exit 2. */
    ParameterException badArgument(String option, IllegalArgumentException e) {
        return new ParameterException(spec.commandLine(), option + ": " + e.getMessage(), e);
    }

    @Override
    public final Integer call() throws Exception {
        checkArguments();
        try {
            return run(ApiClient.of(api));
        } catch (ApiClient.ApiError e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(e.status == 0 ? e.getMessage() : "refused (" + e.status + "): " + e.getMessage());
            if (e.body != null && e.body.has("problems")) {
                for (JsonNode p : e.body.path("problems")) {
                    err.println("  " + problem(p));
                }
            }
            err.flush();
            return e.status == 0 ? UNREACHABLE : REFUSED;
        } finally {
            out().flush();
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints the JSON as the API sent it, for {@code --json}. */
    void printJson(ApiClient.Answer a) {
        out().println(a.text());
    }

    static String problem(JsonNode p) {
        String line = p.path("line").asInt() > 0 ? ":" + p.path("line").asInt() : "";
        String path = p.path("path").asText().isEmpty() ? "" : " " + p.path("path").asText() + ":";
        return p.path("file").asText() + line + ":" + path + " " + p.path("message").asText();
    }

    static String text(JsonNode n, String field) {
        String v = n.path(field).asText("");
        return v.isEmpty() ? "-" : v;
    }
}
