package dev.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code leasehold status}: version, uptime, configuration hash and store health of a running server. */
@Command(name = "status", description = "Show the status of a running server (control API).")
final class StatusCommand extends ApiCommand {

    @Override
    int run(ApiClient client) throws Exception {
        ApiClient.Answer a = client.get("/status", Map.of());
        if (api.json) {
            printJson(a);
            return 0;
        }
        JsonNode s = a.json();
        long up = s.path("uptime-seconds").asLong();
        out().printf("version:      %s%n", text(s, "version"));
        out().printf("up:           %dd %02dh %02dm %02ds (since %s)%n", up / 86_400, up / 3_600 % 24, up / 60 % 60, up % 60,
                text(s, "started-at"));
        out().printf("config:       %s, %d subnet(s), sha256 %s%n", text(s.path("config"), "file"),
                s.path("config").path("subnets").asInt(), text(s.path("config"), "sha256"));
        out().printf("loaded:       %s%s%n", text(s.path("config"), "loaded-at"), s.path("config").path("disk-differs")
                .asBoolean() ? "; the file on disk differs (edited, not reloaded)" : "");
        out().printf("durability:   %s%n", text(s, "durability"));
        out().printf("store:        %s, %d lease(s): %s%n", s.path("store").path("writable").asBoolean() ? "writable" : "NOT WRITABLE",
                s.path("store").path("leases").asLong(), text(s.path("store"), "detail"));
        out().printf("packets:      %d received, %d sent%n", s.path("packets").path("received").asLong(),
                s.path("packets").path("sent").asLong());
        out().printf("offers:       %d outstanding%n", s.path("offers-outstanding").asLong());
        return s.path("store").path("writable").asBoolean() ? 0 : REFUSED;
    }
}
