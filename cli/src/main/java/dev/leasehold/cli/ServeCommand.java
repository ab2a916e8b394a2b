package dev.leasehold.cli;

import dev.leasehold.config.ConfigException;
import dev.leasehold.control.Operations;
import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code leasehold serve --config FILE}: serves until SIGTERM or SIGINT; SIGHUP reloads the
 * configuration (a bad file is refused and the running one stays). The event log, the lease
 * history and, when configured, the control API run beside it ({@link Operations}).
 *
 * <p>SIGTERM and SIGINT are a requested stop, not a failure: they are handled here rather than by
 * the JVM (whose own handler exits with 143 or 130, which systemd would count as a failed stop),
 * the stop is logged, the store closed, and the exit status is 0.
 */
@Command(name = "serve", description = "Run the DHCPv4 server until SIGTERM or SIGINT; SIGHUP reloads the configuration.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM or SIGINT", "1:could not start (e.g. port 67 refused: the message names the capability)",
                "2:the configuration file failed validation, or a bad option"})
final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "configuration file")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        LeaseholdServer server;
        try {
            server = LeaseholdServer.start(config, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"),
                    List.of(Operations.factory()));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCode.USAGE.value();
        } catch (IOException e) {
            System.err.println("cannot start: " + e.getMessage());
            return ExitCode.FAILURE.value();
        }
        // Any other way out of the JVM (a signal not handled below, System.exit) still closes the store.
        Thread closeOnExit = new Thread(server::close, "shutdown");
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        AtomicReference<String> stopSignal = new AtomicReference<>();
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), s -> {
                stopSignal.compareAndSet(null, "SIG" + s.getName());
                stop.countDown();
            });
        }
        try {
            Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().start(server::reload));
        } catch (IllegalArgumentException e) {
            System.err.println("SIGHUP reload unavailable on this platform: " + e.getMessage());
        }
        stop.await();
        log.info("{} received: stopping", stopSignal.get());
        server.close();
        try {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or ran: it closes an already closed server, which does nothing harmful
        }
        log.info("stopped");
        return ExitCode.OK.value();
    }
}
