package dev.leasehold.control;

import dev.leasehold.config.OperationsConfig;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.engine.LeaseEventSink;
import dev.leasehold.net.Transport;
import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything an operator sees of a running server, as one {@link LeaseholdServer.AddOn}: the
 * lease event log, the lease history, reply latency timing, and (when the configuration has a
 * {@code control} key) the HTTP control API with {@code /metrics}.
 *
 * <pre>{@code
 * LeaseholdServer server = LeaseholdServer.start(file, clock, random, List.of(Operations.factory()));
 * }</pre>
 */
public final class Operations implements LeaseholdServer.AddOn {

    private static final Logger log = LoggerFactory.getLogger(Operations.class);

    private final OperationsConfig config;
    private final Clock clock;
    private final LeaseHistory history;
    private final ReplyTimer replyTimer = new ReplyTimer();
    private final EventCounts counts = new EventCounts();
    private volatile ControlServer api;
    private volatile Instant startedAt;

    private final ApiTokens tokens;
    private final FailedLogins failedLogins;
    private final StatisticsBaseline baseline = new StatisticsBaseline();

    private Operations(OperationsConfig config, Clock clock, LeaseHistory history, ApiTokens tokens) {
        this.config = config;
        this.tokens = tokens;
        this.failedLogins = new FailedLogins(clock);
        this.clock = clock;
        this.history = history;
    }

    /** The add-on for {@link LeaseholdServer#start(java.nio.file.Path, Clock, java.util.random.RandomGenerator, java.util.List)}. */
    public static LeaseholdServer.AddOnFactory factory() {
        return factory(o -> { });
    }

    /** As {@link #factory()}, handing each opened instance to {@code opened} (tests ask it for the API address). */
    public static LeaseholdServer.AddOnFactory factory(Consumer<? super Operations> opened) {
        return (ServerConfig serverConfig, Clock clock) -> {
            OperationsConfig ops0 = serverConfig.operations();
            // The tokens are checked before anything is served: a bad token file stops the start.
            ApiTokens token = ops0.control().isPresent() ? ApiTokens.readFrom(ops0.control().get().tokenFile()) : null;
            EventLog eventLog = new EventLog(ops0.eventLogFormat());
            // The history's writer thread writes the event log too: no log I/O on the packet path.
            LeaseHistory history = LeaseHistory.open(serverConfig.dataDirectory(), ops0.history(), clock, eventLog::write);
            Operations ops = new Operations(ops0, clock, history, token);
            opened.accept(ops);
            return ops;
        };
    }

    @Override
    public LeaseEventSink events() {
        return event -> record(HistoryEvent.of(event));
    }

    /** Counts one event and queues it for the event log and the history; the API calls it for operators' changes. */
    void record(HistoryEvent event) {
        counts.count(event);
        history.record(event);
    }

    @Override
    public Transport wrap(Transport transport) {
        return replyTimer.wrap(transport);
    }

    @Override
    public void started(LeaseholdServer server) throws IOException {
        startedAt = clock.instant();
        if (config.control().isPresent()) {
            api = ControlServer.start(config.control().get(), tokens, new ControlApi(server, this).router(), failedLogins);
        } else {
            log.info("no 'control' key in the configuration: the control API and /metrics are off");
        }
    }

    /**
     * What {@code serve} would refuse of a configuration's operations settings, for
     * {@code check-config}: today the control API's token file (missing, loose mode, bad
     * contents). Empty when there is nothing to refuse.
     */
    public static Optional<String> problemsOf(ServerConfig config) {
        if (config.operations().control().isEmpty()) {
            return Optional.empty();
        }
        try {
            ApiTokens.readFrom(config.operations().control().get().tokenFile());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Where the control API listens, when it runs. */
    public Optional<InetSocketAddress> apiAddress() {
        ControlServer s = api;
        return s == null ? Optional.empty() : Optional.of(s.address());
    }

    /** {@code http://127.0.0.1:8067} or the https equivalent, when the API runs. */
    public Optional<String> apiUrl() {
        ControlServer s = api;
        return s == null ? Optional.empty()
                : Optional.of(s.url());
    }

    Clock clock() {
        return clock;
    }

    Instant startedAt() {
        return startedAt == null ? clock.instant() : startedAt;
    }

    LeaseHistory history() {
        return history;
    }

    ReplyTimer replyTimer() {
        return replyTimer;
    }

    EventCounts counts() {
        return counts;
    }

    FailedLogins failedLogins() {
        return failedLogins;
    }

    StatisticsBaseline baseline() {
        return baseline;
    }

    /**
     * Closes the server as asked through the API (Kea's shutdown), on its own thread, after
     * {@code delayMillis} so the answer goes first; {@code leasehold serve} waits for that
     * ({@link LeaseholdServer#awaitClosed()}) and exits.
     */
    void shutdownSoon(LeaseholdServer server, long delayMillis) {
        Thread.ofPlatform().name("api-shutdown").start(() -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.warn("shutting down as asked through the control API");
            server.close();
        });
    }

    /** Stops the API, then writes out and closes the history. Idempotent. */
    @Override
    public void close() {
        ControlServer s = api;
        api = null;
        if (s != null) {
            s.close();
        }
        history.close();
    }
}
