package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad call is a clear 4xx with a JSON message, and changes nothing. */
class BadInputTest {

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

    private void assertNothingStored() {
        assertThat(s.server.store().size()).as("nothing changed").isZero();
    }

    @Test
    void callWithoutTokenIs401WithChallenge() throws Exception {
        RunningServer.Reply r = s.call("GET", "/status", null, null, null);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).isEqualTo("unauthorized");
        assertThat(r.headers().get("www-authenticate")).containsExactly("Bearer realm=\"leasehold\"");
    }

    @Test
    void callWithWrongTokenIs401AndChangesNothing() throws Exception {
        RunningServer.Reply r = s.call("POST", "/leases", "{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\"}",
                "Bearer not-the-token-at-all-xxxx", "application/json");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.message()).isEqualTo("the bearer token is wrong");
        assertNothingStored();
    }

    @Test
    void tokenInAnotherSchemeIsRefused() throws Exception {
        assertThat(s.call("GET", "/status", null, "Basic " + RunningServer.TOKEN, null).status()).isEqualTo(401);
    }

    @Test
    void unknownPathWithoutTokenDoesNotRevealWhetherItExists() throws Exception {
        assertThat(s.call("GET", "/nothing-here", null, null, null).status()).isEqualTo(401);
    }

    @Test
    void unknownPathIs404() throws Exception {
        RunningServer.Reply r = s.call("GET", "/leasez");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.message()).isEqualTo("no such path: /leasez; see /openapi.json");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        RunningServer.Reply r = s.call("PATCH", "/leases/192.0.2.1", "{}");

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers().get("allow")).containsExactly("DELETE, GET, PUT");
        assertThat(s.call("GET", "/leases/wipe").status()).as("a literal route is not an address").isEqualTo(405);
        assertThat(s.call("DELETE", "/config").status()).isEqualTo(405);
    }

    @Test
    void malformedJsonIs400NamingThePlace() throws Exception {
        RunningServer.Reply r = s.call("POST", "/leases", "{\"address\": \"192.0.2.120\",");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("malformed-json");
        assertThat(r.message()).startsWith("the body is not valid JSON: ").contains("line 1");
        assertNothingStored();
    }

    @Test
    void trailingGarbageAfterTheObjectIsMalformed() throws Exception {
        RunningServer.Reply r = s.call("POST", "/leases", "{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\"} x");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("malformed-json");
        assertNothingStored();
    }

    @Test
    void duplicateKeyIsMalformed() throws Exception {
        RunningServer.Reply r = s.call("POST", "/leases",
                "{\"address\": \"192.0.2.120\", \"address\": \"192.0.2.121\", \"mac\": \"02:00:00:00:00:01\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).contains("Duplicate field 'address'");
        assertNothingStored();
    }

    @Test
    void unknownFieldIs400NamingItAndTheKnownOnes() throws Exception {
        RunningServer.Reply r = s.call("POST", "/leases",
                "{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\", \"lifetime\": 60}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("unknown-field");
        assertThat(r.message()).isEqualTo("unknown field(s) [lifetime]; known: [address, client-id, expires-at, hostname,"
                + " mac, state, subnet-id, valid-lifetime]");
        assertNothingStored();
    }

    @Test
    void wrongTypesAre400NamingTheField() throws Exception {
        List<String[]> cases = List.of(
                new String[]{"{\"address\": 3221226104, \"mac\": \"02:00:00:00:00:01\"}", "field 'address' must be a string, not a whole number"},
                new String[]{"{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\", \"valid-lifetime\": \"60\"}", "field 'valid-lifetime' must be a whole number, not a string"},
                new String[]{"{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\", \"valid-lifetime\": 1.5}", "field 'valid-lifetime' must be a whole number, not a decimal number"},
                new String[]{"{\"address\": \"192.0.2.120\", \"mac\": [\"02:00:00:00:00:01\"]}", "field 'mac' must be a string, not an array"},
                new String[]{"[1, 2]", "the body must be a JSON object, not an array"},
                new String[]{"\"text\"", "the body must be a JSON object, not a string"});
        for (String[] c : cases) {
            RunningServer.Reply r = s.call("POST", "/leases", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.message()).as(c[0]).isEqualTo(c[1]);
        }
        assertNothingStored();
    }

    @Test
    void badValuesAre400NamingTheField() throws Exception {
        List<String[]> cases = List.of(
                new String[]{"{\"address\": \"192.0.2.300\", \"mac\": \"02:00:00:00:00:01\"}", "address: "},
                new String[]{"{\"address\": \"192.0.2.120\", \"mac\": \"zz\"}", "mac: "},
                new String[]{"{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\", \"state\": \"bound\"}", "state: 'bound' is not a lease state"},
                new String[]{"{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\", \"valid-lifetime\": 0}", "field 'valid-lifetime' must be 1-4294967294, not 0"},
                new String[]{"{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\", \"expires-at\": \"tomorrow\"}", "expires-at: 'tomorrow' is not a time"},
                new String[]{"{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\", \"hostname\": \"a b\"}", "hostname: printable ASCII"},
                new String[]{"{\"mac\": \"02:00:00:00:00:01\"}", "field 'address' is required"});
        for (String[] c : cases) {
            RunningServer.Reply r = s.call("POST", "/leases", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.message()).as(c[0]).startsWith(c[1]);
        }
        assertNothingStored();
    }

    @Test
    void leaseOnANetworkOrBroadcastAddressOrOutsideEverySubnetIs400WithTheReason() throws Exception {
        List<String[]> cases = List.of(
                new String[]{"192.0.2.0", "192.0.2.0 is the network address of subnet 7 (192.0.2.0/24); no client can hold it"},
                new String[]{"192.0.2.255", "192.0.2.255 is the broadcast address of subnet 7 (192.0.2.0/24); no client can hold it"},
                new String[]{"198.51.100.7", "198.51.100.7 is in no configured subnet"});
        for (String[] c : cases) {
            RunningServer.Reply r = s.call("POST", "/leases", "{\"address\": \"" + c[0] + "\", \"mac\": \"02:00:00:00:00:01\"}");
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.message()).as(c[0]).isEqualTo(c[1]);
        }
        assertNothingStored();
    }

    @Test
    void badQueryParametersAre400() throws Exception {
        assertThat(s.call("GET", "/leases?limit=0").message()).isEqualTo("limit: must be 1-1000, not 0");
        assertThat(s.call("GET", "/leases?limit=ten").message()).isEqualTo("limit: 'ten' is not a whole number");
        assertThat(s.call("GET", "/leases?subnet=7").message()).startsWith("unknown query parameter(s) [subnet]");
        assertThat(s.call("GET", "/leases?limit=1&limit=2").message()).isEqualTo("query parameter 'limit' is given twice");
        assertThat(s.call("GET", "/leases/not-an-address").status()).isEqualTo(400);
        assertThat(s.call("GET", "/history/holder").message()).isEqualTo("query parameter 'address' is required");
        assertThat(s.call("GET", "/history/holdings?mac=02:00:00:00:00:01&address=192.0.2.1").message())
                .isEqualTo("give exactly one of 'address', 'mac', 'client-id' or 'circuit-id'");
        assertThat(s.call("GET", "/history/holdings?mac=02:00:00:00:00:01&since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z")
                .status()).isEqualTo(400);
    }

    @Test
    void bodyOnACallThatTakesNoneIsRefused() throws Exception {
        RunningServer.Reply r = s.call("DELETE", "/leases/192.0.2.120", "{}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("unexpected-body");
    }

    @Test
    void bodyThatIsNotDeclaredJsonIs415() throws Exception {
        RunningServer.Reply r = s.call("POST", "/leases", "{\"address\": \"192.0.2.120\", \"mac\": \"02:00:00:00:00:01\"}",
                "Bearer " + RunningServer.TOKEN, "text/plain");

        assertThat(r.status()).isEqualTo(415);
        assertNothingStored();
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        String huge = "{\"text\": \"" + "#".repeat(ControlServer.MAX_BODY) + "\"}";

        RunningServer.Reply r = s.call("POST", "/config/test", huge);

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.error()).isEqualTo("body-too-large");
        assertThat(s.call("GET", "/status").status()).as("still serving").isEqualTo(200);
    }

    @Test
    void errorsAreJsonWithErrorAndMessage() throws Exception {
        RunningServer.Reply r = s.call("GET", "/leases/192.0.2.99");

        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.json().fieldNames()).toIterable().containsExactly("error", "message");
    }

    @Test
    void serverRefusesToStartWhenTheTokenFileIsReadableByOthers() throws Exception {
        s.close();
        s = null;
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("token"), RunningServer.TOKEN);
        Files.setPosixFilePermissions(other.resolve("token"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> RunningServer.start(other))
                .hasMessageContaining("accessible to group or others").hasMessageContaining("chmod 600");
    }

    @Test
    void serverRefusesToStartWhenTheTokenFileIsMissingOrShort() throws Exception {
        s.close();
        s = null;
        Path missing = Files.createDirectory(dir.resolve("missing"));
        String config = RunningServer.config(missing, "").replace(missing.resolve("token").toString(),
                missing.resolve("nope").toString());
        assertThatThrownBy(() -> RunningServer.start(missing, config)).hasMessageContaining("does not exist");

        Path shortToken = Files.createDirectory(dir.resolve("short"));
        Files.writeString(shortToken.resolve("token"), "abc");
        Files.setPosixFilePermissions(shortToken.resolve("token"), PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> RunningServer.start(shortToken)).hasMessageContaining("shorter than 16 characters");
    }
}
