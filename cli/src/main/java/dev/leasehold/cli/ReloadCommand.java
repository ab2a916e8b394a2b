package dev.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code leasehold reload}: reload the configuration file of a running server; a bad file is refused with its problems. */
@Command(name = "reload", description = "Reload the configuration of a running server (control API).")
final class ReloadCommand extends ApiCommand {

    @Override
    int run(ApiClient client) throws Exception {
        ApiClient.Answer a = client.call("POST", "/config/reload", null);
        if (api.json) {
            printJson(a);
            return 0;
        }
        JsonNode r = a.json();
        out().println("reloaded: " + r.path("subnets").asInt() + " subnet(s), sha256 " + r.path("sha256").asText()
                + ", loaded at " + r.path("loaded-at").asText());
        return 0;
    }
}
