package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leasehold.client.Binding;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint over real HTTP against a running server on loopback. */
class ControlApiTest {

    @TempDir
    Path dir;
    private RunningServer s;

    @BeforeEach
    void start() throws Exception {
        s = RunningServer.start(dir);
    }

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    @Test
    void apiListensOnLoopbackOnly() {
        assertThat(s.ops.apiAddress().orElseThrow().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    // ---- leases ----

    @Test
    void leaseObtainedByDhcpIsFoundByAddressMacClientIdAndHostname() throws Exception {
        Binding b = s.lease("02:00:00:00:01:01", "desk-1").orElseThrow();

        JsonNode byAddress = s.call("GET", "/leases/" + b.address()).json();
        assertThat(byAddress.path("mac").asText()).isEqualTo("02:00:00:00:01:01");
        assertThat(byAddress.path("client-id").asText()).isEqualTo("01:02:00:00:00:01:01");
        assertThat(byAddress.path("subnet-id").asInt()).isEqualTo(7);
        assertThat(byAddress.path("state").asText()).isEqualTo("active");
        assertThat(byAddress.path("hostname").asText()).isEqualTo("desk-1");

        assertThat(s.call("GET", "/leases?mac=02:00:00:00:01:01").json().path("leases").get(0).path("address").asText())
                .isEqualTo(b.address().toString());
        assertThat(s.call("GET", "/leases?client-id=01:02:00:00:00:01:01").json().path("count").asInt()).isEqualTo(1);
        assertThat(s.call("GET", "/leases?hostname=DESK-1").json().path("count").asInt()).isEqualTo(1);
        assertThat(s.call("GET", "/leases?hostname=other").json().path("count").asInt()).isZero();
    }

    @Test
    void unknownLeaseIs404() throws Exception {
        RunningServer.Reply r = s.call("GET", "/leases/192.0.2.200");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.error()).isEqualTo("not-found");
        assertThat(r.message()).isEqualTo("no lease for 192.0.2.200");
    }

    @Test
    void listPagesInAddressOrderWithCursor() throws Exception {
        for (int i = 0; i < 5; i++) {
            add("192.0.2." + (120 + i), "02:00:00:00:02:0" + i, "");
        }
        JsonNode first = s.call("GET", "/leases?limit=2").json();
        assertThat(first.path("leases").findValuesAsText("address")).containsExactly("192.0.2.120", "192.0.2.121");
        assertThat(first.path("next").asText()).isEqualTo("192.0.2.121");

        JsonNode second = s.call("GET", "/leases?limit=2&after=192.0.2.121").json();
        assertThat(second.path("leases").findValuesAsText("address")).containsExactly("192.0.2.122", "192.0.2.123");

        JsonNode last = s.call("GET", "/leases?limit=2&after=192.0.2.123").json();
        assertThat(last.path("leases").findValuesAsText("address")).containsExactly("192.0.2.124");
        assertThat(last.path("next").isNull()).isTrue();
    }

    @Test
    void listFiltersBySubnetAndState() throws Exception {
        add("192.0.2.120", "02:00:00:00:02:01", "");
        s.call("POST", "/leases", """
                {"address": "192.0.2.121", "mac": "02:00:00:00:02:02", "state": "expired"}""");

        assertThat(s.call("GET", "/leases?state=expired").json().path("leases").findValuesAsText("address"))
                .containsExactly("192.0.2.121");
        assertThat(s.call("GET", "/leases?subnet-id=7").json().path("count").asInt()).isEqualTo(2);
        assertThat(s.call("GET", "/leases?subnet-id=8").json().path("count").asInt()).isZero();
    }

    @Test
    void addedLeaseIsStoredAndItsAddressIsNotOfferedToAnotherClient() throws Exception {
        // Iterative allocation would hand out .100 first; the operator takes it.
        RunningServer.Reply r = s.call("POST", "/leases", """
                {"address": "192.0.2.100", "mac": "02:00:00:00:03:01", "hostname": "printer", "valid-lifetime": 3600}""");

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        Lease stored = s.server.store().get(Ipv4Address.parse("192.0.2.100")).orElseThrow();
        assertThat(stored.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(stored.hostname()).isEqualTo("printer");
        assertThat(stored.expiresAt()).isAfter(Instant.now().plusSeconds(3500));
        assertThat(s.lease("02:00:00:00:03:02", null).orElseThrow().address().toString()).isEqualTo("192.0.2.101");
    }

    @Test
    void addingOverAnExistingLeaseIsAConflictAndChangesNothing() throws Exception {
        Binding b = s.lease("02:00:00:00:01:01", null).orElseThrow();

        RunningServer.Reply r = s.call("POST", "/leases", """
                {"address": "%s", "mac": "02:00:00:00:09:09"}""".formatted(b.address()));

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.error()).isEqualTo("exists");
        assertThat(s.server.store().get(b.address()).orElseThrow().hardwareAddress().toString()).isEqualTo("02:00:00:00:01:01");
    }

    @Test
    void addOutsideEveryConfiguredSubnetIsRefused() throws Exception {
        RunningServer.Reply r = s.call("POST", "/leases", """
                {"address": "198.51.100.1", "mac": "02:00:00:00:09:09"}""");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("198.51.100.1 is in no configured subnet");
    }

    @Test
    void addWithTheWrongSubnetIdIsRefused() throws Exception {
        RunningServer.Reply r = s.call("POST", "/leases", """
                {"address": "192.0.2.130", "mac": "02:00:00:00:09:09", "subnet-id": 8}""");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("192.0.2.130 is in subnet 7 (192.0.2.0/24), not 8");
        assertThat(s.server.store().size()).isZero();
    }

    @Test
    void updateChangesOnlyTheFieldsGiven() throws Exception {
        add("192.0.2.120", "02:00:00:00:02:01", "old");

        RunningServer.Reply r = s.call("PUT", "/leases/192.0.2.120", """
                {"hostname": "new"}""");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Lease stored = s.server.store().get(Ipv4Address.parse("192.0.2.120")).orElseThrow();
        assertThat(stored.hostname()).isEqualTo("new");
        assertThat(stored.hardwareAddress().toString()).isEqualTo("02:00:00:00:02:01");
    }

    @Test
    void updateToAnotherClientOfAHeldLeaseIsAConflict() throws Exception {
        add("192.0.2.120", "02:00:00:00:02:01", "");

        RunningServer.Reply r = s.call("PUT", "/leases/192.0.2.120", """
                {"mac": "02:00:00:00:02:99"}""");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("holder").path("mac").asText()).isEqualTo("02:00:00:00:02:01");
    }

    @Test
    void updateOfUnknownLeaseIs404() throws Exception {
        assertThat(s.call("PUT", "/leases/192.0.2.140", "{\"hostname\": \"x\"}").status()).isEqualTo(404);
    }

    @Test
    void updateCannotMoveALease() throws Exception {
        add("192.0.2.120", "02:00:00:00:02:01", "");

        RunningServer.Reply r = s.call("PUT", "/leases/192.0.2.120", "{\"address\": \"192.0.2.121\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(s.server.store().get(Ipv4Address.parse("192.0.2.121"))).isEmpty();
    }

    @Test
    void deletedLeaseIsGoneAndItsAddressIsOfferedAgain() throws Exception {
        Binding b = s.lease("02:00:00:00:01:01", null).orElseThrow();
        assertThat(b.address().toString()).isEqualTo("192.0.2.100");

        RunningServer.Reply r = s.call("DELETE", "/leases/192.0.2.100");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("deleted").path("mac").asText()).isEqualTo("02:00:00:00:01:01");
        assertThat(s.server.store().get(b.address())).isEmpty();
        assertThat(s.server.engine().usage().getFirst().freeAddresses()).as("back in the pool").isEqualTo(50);
        assertThat(s.call("DELETE", "/leases/192.0.2.100").status()).as("second delete").isEqualTo(404);
        assertThat(s.call("DELETE", "/leases/192.0.2.199").status()).isEqualTo(404);
    }

    @Test
    void wipeDeletesEveryLeaseOfTheSubnet() throws Exception {
        for (int i = 0; i < 3; i++) {
            s.lease("02:00:00:00:04:0" + i, null).orElseThrow();
        }

        RunningServer.Reply r = s.call("POST", "/leases/wipe", "{\"subnet-id\": 7}");

        assertThat(r.json().path("deleted").asInt()).as(r.toString()).isEqualTo(3);
        assertThat(s.server.store().size()).isZero();
        assertThat(s.server.engine().usage().getFirst().freeAddresses()).isEqualTo(50);
    }

    @Test
    void reclaimReturnsExpiredLeasesNow() throws Exception {
        s.call("POST", "/leases", """
                {"address": "192.0.2.120", "mac": "02:00:00:00:02:01", "expires-at": "2020-01-01T00:00:00Z"}""");

        RunningServer.Reply r = s.call("POST", "/leases/reclaim", "{}");

        assertThat(r.json().path("reclaimed").asInt()).as(r.toString()).isEqualTo(1);
        assertThat(s.server.store().get(Ipv4Address.parse("192.0.2.120")).orElseThrow().state()).isEqualTo(LeaseState.EXPIRED);
        assertThat(s.call("POST", "/leases/reclaim").json().path("reclaimed").asInt()).isZero();
    }

    // ---- config ----

    @Test
    void configGetShowsTheFileItsHashAndSubnets() throws Exception {
        JsonNode c = s.call("GET", "/config").json();

        String text = Files.readString(s.configFile);
        assertThat(c.path("text").asText()).isEqualTo(text);
        assertThat(c.path("sha256").asText()).isEqualTo(ConfigInForce.sha256(text));
        assertThat(c.path("subnets").get(0).path("subnet").asText()).isEqualTo("192.0.2.0/24");
    }

    @Test
    void configTestOfGoodAndBadTextAndFile() throws Exception {
        JsonNode good = s.call("POST", "/config/test", json("text", Files.readString(s.configFile))).json();
        assertThat(good.path("valid").asBoolean()).isTrue();

        JsonNode bad = s.call("POST", "/config/test", json("text", "subnets: []\nvalid-liftime: 3")).json();
        assertThat(bad.path("valid").asBoolean()).isFalse();
        assertThat(bad.path("problems").findValuesAsText("path")).contains("valid-liftime");

        Files.writeString(dir.resolve("next.yaml"), "listen: {port: 99999}\n");
        JsonNode file = s.call("POST", "/config/test", "{\"path\": \"next.yaml\"}").json();
        assertThat(file.path("valid").asBoolean()).isFalse();
        assertThat(file.path("problems").get(0).path("line").asInt()).isEqualTo(1);
    }

    @Test
    void configTestAndWriteRefusePathsOutsideTheConfigDirectory() throws Exception {
        RunningServer.Reply test = s.call("POST", "/config/test", "{\"path\": \"../../etc/passwd\"}");
        RunningServer.Reply write = s.call("POST", "/config/write", "{\"path\": \"/tmp/x.yaml\"}");

        assertThat(test.status()).isEqualTo(403);
        assertThat(write.status()).isEqualTo(403);
        assertThat(Files.exists(Path.of("/tmp/x.yaml.tmp"))).isFalse();
    }

    @Test
    void configTestNeedsExactlyOneOfPathOrText() throws Exception {
        assertThat(s.call("POST", "/config/test", "{}").status()).isEqualTo(400);
        assertThat(s.call("POST", "/config/test", "{\"path\": \"a\", \"text\": \"b\"}").status()).isEqualTo(400);
    }

    @Test
    void reloadAppliesAGoodFile() throws Exception {
        Files.writeString(s.configFile, Files.readString(s.configFile).replace("192.0.2.100-192.0.2.149", "192.0.2.100-192.0.2.109"));

        RunningServer.Reply r = s.call("POST", "/config/reload");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(s.server.engine().usage().getFirst().totalAddresses()).isEqualTo(10);
        assertThat(r.json().path("sha256").asText()).isEqualTo(ConfigInForce.sha256(Files.readString(s.configFile)));
    }

    @Test
    void reloadOfABadFileIsRefusedWithItsProblemsAndKeepsServing() throws Exception {
        String good = Files.readString(s.configFile);
        Files.writeString(s.configFile, good + "\nbogus-key: 1\n");

        RunningServer.Reply r = s.call("POST", "/config/reload");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.error()).isEqualTo("config-refused");
        assertThat(r.json().path("problems").get(0).path("path").asText()).isEqualTo("bogus-key");
        assertThat(s.server.engine().usage().getFirst().totalAddresses()).isEqualTo(50);
        assertThat(s.lease("02:00:00:00:05:01", null)).isPresent();
    }

    @Test
    void configWriteWritesTheTextInForce() throws Exception {
        String inForce = Files.readString(s.configFile);

        RunningServer.Reply r = s.call("POST", "/config/write", "{\"path\": \"backup.yaml\"}");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(Files.readString(dir.resolve("backup.yaml"))).isEqualTo(inForce);
    }

    // ---- status, statistics, metrics, openapi ----

    @Test
    void statusNamesVersionUptimeConfigHashAndStoreHealth() throws Exception {
        s.lease("02:00:00:00:01:01", null).orElseThrow();

        JsonNode st = s.call("GET", "/status").json();

        assertThat(st.path("version").asText()).isNotEmpty();
        assertThat(st.path("uptime-seconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(st.path("config").path("sha256").asText()).isEqualTo(ConfigInForce.sha256(Files.readString(s.configFile)));
        assertThat(st.path("store").path("writable").asBoolean()).isTrue();
        assertThat(st.path("store").path("leases").asInt()).isEqualTo(1);
        assertThat(st.path("packets").path("received").asInt()).isEqualTo(2);
    }

    @Test
    void statisticsCountMessagesAndSubnetUsage() throws Exception {
        s.lease("02:00:00:00:01:01", null).orElseThrow();

        JsonNode st = s.call("GET", "/statistics").json();

        assertThat(st.path("received").path("discover").asInt()).isEqualTo(1);
        assertThat(st.path("sent").path("ack").asInt()).isEqualTo(1);
        assertThat(st.path("subnets").get(0).path("assigned").asInt()).isEqualTo(1);
        assertThat(st.path("subnets").get(0).path("free").asInt()).isEqualTo(49);
        assertThat(st.path("lease-events").path("ack").asInt()).isEqualTo(1);
    }

    @Test
    void statisticsShowTheLimitsInForcePerSubnetAndTheirDropsSinceStart() throws Exception {
        JsonNode limits = s.call("GET", "/statistics").json().path("limits");

        // No limits block: nothing limited, every relay trusted, option 82 used as sent.
        JsonNode subnet = limits.path("subnets").get(0);
        assertThat(subnet.path("id").asInt()).isEqualTo(7);
        assertThat(subnet.path("from").asText()).isEqualTo("top-level");
        assertThat(subnet.path("new-clients").isNull()).isTrue();
        assertThat(subnet.path("max-leases").path("per-circuit-id").isNull()).isTrue();
        assertThat(subnet.path("unknown-offer-share").isNull()).isTrue();
        assertThat(subnet.path("trusted-relays").size()).isZero();
        assertThat(subnet.path("option-82-without-giaddr").asText()).isEqualTo("use");
        assertThat(limits.path("dropped-since-start").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("rate-limited", "lease-limit", "offer-share-limit", "decline-limit", "relay-untrusted");
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        s.lease("02:00:00:00:01:01", null).orElseThrow();

        RunningServer.Reply r = s.call("GET", "/metrics");

        assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).contains("leasehold_messages_received_total{type=\"discover\"} 1\n",
                "leasehold_messages_sent_total{type=\"ack\"} 1\n",
                "leasehold_packets_dropped_total{reason=\"malformed\"} 0\n",
                "leasehold_subnet_addresses{subnet=\"7\",prefix=\"192.0.2.0/24\"} 50\n",
                "leasehold_subnet_addresses_assigned{subnet=\"7\",prefix=\"192.0.2.0/24\"} 1\n",
                "leasehold_reply_latency_seconds_count{type=\"ack\"} 1\n",
                "leasehold_reply_latency_seconds_bucket{type=\"offer\",le=\"+Inf\"} 1\n",
                "# TYPE leasehold_reply_latency_seconds histogram\n",
                "leasehold_journal_fsyncs_total ", "jvm_memory_used_bytes{area=\"heap\"} ", "jvm_threads_current ");
        for (String line : r.body().split("\n")) {
            assertThat(line).as("every line is a comment or 'name{labels} value'")
                    .matches("# (HELP|TYPE) .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? -?[0-9.eE+-]+|.* (\\+Inf|NaN)");
        }
    }

    @Test
    void openApiDocumentIsServedAndDescribesEveryRoute() throws Exception {
        JsonNode doc = s.call("GET", "/openapi.json").json();

        assertThat(doc.path("openapi").asText()).startsWith("3.");
        Router router = new ControlApi(s.server, s.ops).router();
        for (Router.Route route : router.routes()) {
            assertThat(doc.path("paths").path(route.template()).has(route.method().toLowerCase()))
                    .as(route.method() + " " + route.template() + " documented").isTrue();
        }
        int documented = 0;
        for (JsonNode path : doc.path("paths")) {
            for (String m : new String[]{"get", "post", "put", "delete"}) {
                documented += path.has(m) ? 1 : 0;
            }
        }
        assertThat(documented).as("no documented operation without a route").isEqualTo(router.routes().size());
    }

    private void add(String address, String mac, String hostname) throws Exception {
        RunningServer.Reply r = s.call("POST", "/leases", """
                {"address": "%s", "mac": "%s", "hostname": "%s"}""".formatted(address, mac, hostname));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static String json(String field, String value) {
        StringBuilder b = new StringBuilder("{\"").append(field).append("\": \"");
        EventFormat.escape(b, value);
        return b.append("\"}").toString();
    }
}
