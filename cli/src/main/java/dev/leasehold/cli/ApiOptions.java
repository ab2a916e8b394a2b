package dev.leasehold.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the control API is and how to prove we may use it; shared by every command that calls it. */
final class ApiOptions {

    @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:LEASEHOLD_API:-http://127.0.0.1:8067}",
            description = "control API base URL (env LEASEHOLD_API; default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE",
            defaultValue = "${env:LEASEHOLD_TOKEN_FILE:-/etc/leasehold/api-token}",
            description = "file holding the bearer token, the server's control.token-file"
                    + " (env LEASEHOLD_TOKEN_FILE; default ${DEFAULT-VALUE})")
    Path tokenFile;

    @Option(names = "--json", description = "print the API's JSON answer as is, for scripts")
    boolean json;
}
