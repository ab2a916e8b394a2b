package dev.leasehold.cli;

import dev.leasehold.config.ConfigException;
import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code leasehold serve --config FILE}: serves until SIGTERM or SIGINT; SIGHUP reloads the
 * configuration (a bad file is refused and the running one stays). What runs is the server's
 * one composition ({@link LeaseholdServer#serve}): the event log, the lease history and, when
 * configured, the control API run beside it as add-ons found on the class path.
 *
 * <p>SIGTERM and SIGINT are a requested stop, not a failure: they are handled here rather than by
 * the JVM (whose own handler exits with 143 or 130, which systemd would count as a failed stop),
 * the stop is logged, the store closed, and the exit status is 0.
 */
@Command(name = "serve", description = "Run the DHCPv4 server until SIGTERM or SIGINT; SIGHUP reloads the configuration.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM or SIGINT (or the control API's shutdown)",
                "1:could not start (e.g. port 67 refused: the message names the capability)",
                "2:the configuration file failed validation, or a bad option"})
final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "configuration file")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        LeaseholdServer server;
        try {
            server = LeaseholdServer.serve(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCode.USAGE.value();
        } catch (IOException e) {
            System.err.println("cannot start: " + e.getMessage());
            return ExitCode.FAILURE.value();
        }
        // Any other way out of the JVM still closes the store and the history.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        for (String name : new String[]{"TERM", "INT"}) {
            handle(name, () -> {
                log.info("SIG{} received: stopping", name);
                server.close();
            });
        }
        // The JVM installs no handler for a signal the process inherited as ignored (nohup does
        // that to SIGHUP): say so, or an operator's 'kill -HUP' would vanish without a word.
        if (!handle("HUP", () -> Thread.ofVirtual().start(() -> {
            log.info("SIGHUP received: reloading {}", config);
            server.reload();
        }))) {
            log.warn("SIGHUP is ignored by this process (started under nohup?): 'kill -HUP' will not reload;"
                    + " use 'leasehold reload' or POST /config/reload, or start without nohup");
        }
        // Closed at SIGTERM or SIGINT, or by the control API's POST /shutdown.
        server.awaitClosed();
        log.info("stopped: store and lease history closed");
        return 0;
    }

    /** Runs {@code action} on signal {@code name}; false when the signal is ignored or cannot be handled here. */
    private static boolean handle(String name, Runnable action) {
        try {
            SignalHandler before = Signal.handle(new Signal(name), s -> action.run());
            if (before == SignalHandler.SIG_IGN) {
                // Leave it ignored, as whoever started us asked.
                Signal.handle(new Signal(name), SignalHandler.SIG_IGN);
                return false;
            }
            return true;
        } catch (IllegalArgumentException e) {
            log.warn("SIG{} cannot be handled on this platform: {}", name, e.getMessage());
            return false;
        }
    }
}
