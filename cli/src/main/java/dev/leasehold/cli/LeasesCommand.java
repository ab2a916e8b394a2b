package dev.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code leasehold leases list|show|delete|history}: the leases of a running server, through its control API. */
@Command(name = "leases", description = "Look at and change the leases of a running server (control API).",
        subcommands = {LeasesCommand.ListLeases.class, LeasesCommand.Show.class, LeasesCommand.Delete.class,
                LeasesCommand.History.class, LeasesCommand.ResendDdns.class, LeaseTransferCommand.Export.class,
                LeaseTransferCommand.Import.class})
final class LeasesCommand {

    /** At most this many pages for {@code list --all}: a bound on the loop, 1,000,000 leases at 1000 a page. */
    static final int MAX_PAGES = 1_000;

    @Command(name = "list", description = "List leases in address order, with filters.")
    static final class ListLeases extends ApiCommand {
        @Option(names = "--subnet", paramLabel = "ID", description = "only this subnet id") Integer subnet;
        @Option(names = "--state", paramLabel = "STATE", description = "active, released, expired or declined") String state;
        @Option(names = "--mac", paramLabel = "MAC", description = "only this MAC") String mac;
        @Option(names = "--client-id", paramLabel = "ID", description = "only this client id (colon hex)") String clientId;
        @Option(names = "--hostname", paramLabel = "NAME", description = "only this host name") String hostname;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "leases per page, 1-1000 (default ${DEFAULT-VALUE})") int limit;
        @Option(names = "--after", paramLabel = "ADDRESS", description = "start after this address") String after;
        @Option(names = "--all", description = {"follow every page, not only the first;",
                "with --json: one document {\"leases\": [...], \"count\": N}, as GET /leases/all"}) boolean all;

        @Override
        int run(ApiClient client) throws Exception {
            if (all && api.json) {
                return allAsOneDocument(client);
            }
            Table table = new Table("ADDRESS", "STATE", "MAC", "CLIENT-ID", "SUBNET", "EXPIRES", "HOSTNAME");
            String cursor = after;
            for (int page = 0; page < MAX_PAGES; page++) {
                ApiClient.Answer a = client.get("/leases", query(cursor));
                JsonNode body = a.json();
                if (api.json) {
                    printJson(a);
                } else {
                    for (JsonNode l : body.path("leases")) {
                        table.row(text(l, "address"), text(l, "state"), text(l, "mac"), text(l, "client-id"),
                                text(l, "subnet-id"), text(l, "expires-at"), text(l, "hostname"));
                    }
                }
                cursor = body.path("next").isNull() ? null : body.path("next").asText();
                if (!all || cursor == null) {
                    break;
                }
            }
            if (!api.json) {
                table.print(out());
                out().println(table.size() + " lease(s)" + (cursor != null && !all ? "; more after " + cursor
                        + " (--after " + cursor + ", or --all)" : ""));
            }
            return 0;
        }

        /**
         * Every page written as one JSON document as the pages arrive (never more than a page in
         * memory), so {@code --all --json} pipes into jq like one {@code GET /leases/all}.
         */
        private int allAsOneDocument(ApiClient client) throws Exception {
            com.fasterxml.jackson.core.JsonGenerator json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .getFactory().createGenerator(out());
            json.writeStartObject();
            json.writeArrayFieldStart("leases");
            long count = 0;
            String cursor = after;
            for (int page = 0; page < MAX_PAGES; page++) {
                JsonNode body = client.get("/leases", query(cursor)).json();
                for (JsonNode l : body.path("leases")) {
                    json.writeTree(l);
                    count++;
                }
                cursor = body.path("next").isNull() ? null : body.path("next").asText();
                if (cursor == null) {
                    break;
                }
            }
            json.writeEndArray();
            json.writeNumberField("count", count);
            json.writeEndObject();
            json.flush();
            out().println();
            return 0;
        }

        private Map<String, String> query(String cursor) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("subnet-id", subnet == null ? null : subnet.toString());
            q.put("state", state);
            q.put("mac", mac);
            q.put("client-id", clientId);
            q.put("hostname", hostname);
            q.put("limit", Integer.toString(limit));
            q.put("after", cursor);
            return q;
        }
    }

    @Command(name = "show", description = "Show one lease.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "ADDRESS", description = "the leased address") String address;

        @Override
        int run(ApiClient client) throws Exception {
            ApiClient.Answer a = client.get("/leases/" + address, Map.of());
            if (api.json) {
                printJson(a);
                return 0;
            }
            JsonNode l = a.json();
            for (String f : new String[]{"address", "state", "mac", "client-id", "subnet-id", "hostname", "start", "expires-at"}) {
                out().printf("%-11s %s%n", f + ":", text(l, f));
            }
            if (l.has("ddns")) {
                out().printf("%-11s %s%n", "dns:", ResendDdns.describe(l.path("ddns")));
            }
            return 0;
        }
    }

    @Command(name = "resend-ddns", description = "Queue a lease's DNS registration again (Kea lease4-resend-ddns).")
    static final class ResendDdns extends ApiCommand {
        @Parameters(paramLabel = "ADDRESS", description = "the leased address") String address;

        @Override
        int run(ApiClient client) throws Exception {
            ApiClient.Answer a = client.call("POST", "/leases/" + address + "/resend-ddns", null);
            if (api.json) {
                printJson(a);
            } else {
                out().println("queued " + text(a.json(), "address") + ": " + describe(a.json().path("ddns")));
            }
            return 0;
        }

        /** {@code alpha.example.com A+PTR registered (detail)}. */
        static String describe(JsonNode d) {
            String records = d.path("forward").asBoolean() && d.path("reverse").asBoolean() ? "A+PTR"
                    : d.path("forward").asBoolean() ? "A" : "PTR";
            String detail = d.path("detail").asText("");
            return text(d, "fqdn") + " " + records + " " + text(d, "status") + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    @Command(name = "delete", description = "Delete a lease; its address goes back to the pool.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ADDRESS", description = "the leased address") String address;

        @Override
        int run(ApiClient client) throws Exception {
            ApiClient.Answer a = client.call("DELETE", "/leases/" + address, null);
            if (api.json) {
                printJson(a);
            } else {
                JsonNode l = a.json().path("deleted");
                out().println("deleted " + text(l, "address") + " (" + text(l, "state") + ", " + text(l, "mac") + ")");
            }
            return 0;
        }
    }

    @Command(name = "history", description = {"Who held an address at a moment, or what a MAC or client id held.",
            "  leasehold leases history --address 10.1.2.3 --at 'yesterday 14:05'",
            "  leasehold leases history --mac 02:00:00:00:00:01 --since 7d"})
    static final class History extends ApiCommand {

        static final class Subject {
            @Option(names = "--address", paramLabel = "ADDRESS", required = true) String address;
            @Option(names = "--mac", paramLabel = "MAC", required = true) String mac;
            @Option(names = "--client-id", paramLabel = "ID", required = true) String clientId;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;

        @Option(names = "--at", paramLabel = "TIME", description = "with --address: who held it then (default now)") String at;
        @Option(names = "--since", paramLabel = "TIME", description = "window start (default 7 days before --until)") String since;
        @Option(names = "--until", paramLabel = "TIME", description = "window end (default now)") String until;
        @Option(names = "--events", description = "list the raw events instead of holdings") boolean events;

        Clock clock = Clock.systemUTC();
        ZoneId zone = ZoneId.systemDefault();
        private String atTime;
        private String sinceTime;
        private String untilTime;

        @Override
        void checkArguments() {
            atTime = time("--at", at);
            sinceTime = time("--since", since);
            untilTime = time("--until", until);
        }

        @Override
        int run(ApiClient client) throws Exception {
            if (subject.address != null && since == null && until == null && !events) {
                return holder(client);
            }
            Map<String, String> q = new LinkedHashMap<>();
            q.put("address", subject.address);
            q.put("mac", subject.mac);
            q.put("client-id", subject.clientId);
            q.put("since", sinceTime);
            q.put("until", untilTime);
            if (at != null) {
                spec.commandLine().getErr().println("--at goes with --address alone; ignoring it");
            }
            ApiClient.Answer a = client.get(events ? "/history/events" : "/history/holdings", q);
            if (api.json) {
                printJson(a);
                return 0;
            }
            JsonNode body = a.json();
            Table table;
            if (events) {
                table = new Table("TIME", "EVENT", "ADDRESS", "MAC", "CLIENT-ID", "SUBNET", "RELAY", "CIRCUIT-ID", "HOSTNAME");
                for (JsonNode e : body.path("events")) {
                    table.row(text(e, "time"), text(e, "type"), text(e, "address"), text(e, "mac"), text(e, "client-id"),
                            text(e, "subnet-id"), text(e, "relay"), text(e, "circuit-id"), text(e, "hostname"));
                }
            } else {
                table = new Table("ADDRESS", "FROM", "UNTIL", "ENDED-BY", "MAC", "CLIENT-ID", "HOSTNAME");
                for (JsonNode h : body.path("holdings")) {
                    table.row(text(h, "address"), text(h, "from"), text(h, "until"), text(h, "ended-by"), text(h, "mac"),
                            text(h, "client-id"), text(h, "hostname"));
                }
            }
            out().println("from " + body.path("since").asText() + " until " + body.path("until").asText());
            table.print(out());
            return 0;
        }

        private int holder(ApiClient client) throws Exception {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("address", subject.address);
            q.put("at", atTime);
            ApiClient.Answer a = client.get("/history/holder", q);
            if (api.json) {
                printJson(a);
                return 0;
            }
            JsonNode body = a.json();
            JsonNode h = body.path("holder");
            if (h.isNull() || h.isMissingNode()) {
                out().println("nobody held " + body.path("address").asText() + " at " + body.path("at").asText());
            } else {
                out().println(body.path("address").asText() + " at " + body.path("at").asText() + " was held by");
                for (String f : new String[]{"mac", "client-id", "hostname", "subnet-id", "from", "until", "ended-by"}) {
                    out().printf("  %-10s %s%n", f + ":", text(h, f));
                }
            }
            return 0;
        }

        private String time(String option, String text) {
            try {
                return text == null ? null : TimeArgument.parse(text, clock, zone).toString();
            } catch (IllegalArgumentException e) {
                throw badArgument(option, e);
            }
        }
    }
}
