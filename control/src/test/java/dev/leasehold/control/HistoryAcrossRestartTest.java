package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.leasehold.client.Binding;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** History questions over the API, before and after the whole server restarts; the event log lines. */
class HistoryAcrossRestartTest {

    @TempDir
    Path dir;
    private RunningServer s;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger eventLogger = (Logger) LoggerFactory.getLogger(EventLog.LOGGER_NAME);

    @BeforeEach
    void capture() {
        lines.start();
        eventLogger.addAppender(lines);
        eventLogger.setLevel(Level.INFO);
    }

    @AfterEach
    void stop() {
        eventLogger.detachAppender(lines);
        eventLogger.setLevel(Level.WARN);
        if (s != null) {
            s.close();
        }
    }

    @Test
    void whoHeldAnAddressAndWhatAMacHeldAreAnsweredAfterRestart() throws Exception {
        s = RunningServer.start(dir);
        Binding first = s.lease("02:00:00:00:07:01", "alpha").orElseThrow();
        Instant whileHeld = Instant.now();
        Thread.sleep(1_100); // lease events carry whole seconds: release in a later second than whileHeld
        s.release("02:00:00:00:07:01", first);
        awaitEvent("release");
        s.call("DELETE", "/leases/" + first.address()); // the record goes; the history stays
        Binding second = s.lease("02:00:00:00:07:02", "beta").orElseThrow();
        s.close();

        s = RunningServer.start(dir);

        JsonNode then = s.call("GET", "/history/holder?address=" + first.address() + "&at=" + whileHeld).json();
        assertThat(then.path("holder").path("mac").asText()).isEqualTo("02:00:00:00:07:01");
        assertThat(then.path("holder").path("hostname").asText()).isEqualTo("alpha");
        JsonNode now = s.call("GET", "/history/holder?address=" + second.address()).json();
        assertThat(now.path("holder").path("mac").asText()).isEqualTo("02:00:00:00:07:02");

        JsonNode held = s.call("GET", "/history/holdings?mac=02:00:00:00:07:01").json();
        assertThat(held.path("holdings")).hasSize(1);
        assertThat(held.path("holdings").get(0).path("address").asText()).isEqualTo(first.address().toString());
        assertThat(held.path("holdings").get(0).path("ended-by").asText()).isEqualTo("release");

        List<String> types = s.call("GET", "/history/events?mac=02:00:00:00:07:01").json().path("events").findValuesAsText("type");
        assertThat(types).containsExactly("ack", "release", "admin-delete");
    }

    @Test
    void everyLeaseEventIsOneLineOnTheEventsLoggerWithRelayAndCircuitId() throws Exception {
        s = RunningServer.start(dir);
        Binding b = s.lease("02:00:00:00:07:03", "gamma").orElseThrow();
        s.ops.history().flush(); // the lines are written by the history's thread

        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).hasSize(2);
        assertThat(logged.get(0)).startsWith("offer " + b.address() + " client-id=01:02:00:00:00:07:03 mac=02:00:00:00:07:03"
                + " subnet=7 relay=127.0.0.1 circuit-id=");
        assertThat(logged.get(1)).startsWith("ack " + b.address()).contains(" hostname=gamma expires=");
    }

    @Test
    void jsonEventLogLinesAreJsonObjects() throws Exception {
        s = RunningServer.start(dir, RunningServer.config(dir, "event-log: {format: json}"));
        s.lease("02:00:00:00:07:04", null).orElseThrow();
        s.ops.history().flush();

        JsonNode ack = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.list.get(1).getFormattedMessage());
        assertThat(ack.path("type").asText()).isEqualTo("ack");
        assertThat(ack.path("mac").asText()).isEqualTo("02:00:00:00:07:04");
        assertThat(ack.path("relay").asText()).isEqualTo("127.0.0.1");
        assertThat(ack.path("subnet-id").asInt()).isEqualTo(7);
    }

    private void awaitEvent(String type) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (s.ops.counts().ofType(type) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(s.ops.counts().ofType(type)).as(type + " seen").isPositive();
    }
}
