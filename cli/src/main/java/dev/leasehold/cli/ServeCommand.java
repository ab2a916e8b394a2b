package dev.leasehold.cli;

import dev.leasehold.config.ConfigException;
import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code leasehold serve --config FILE}: serves until SIGTERM or SIGINT; SIGHUP reloads the
 * configuration (a bad file is refused and the running one stays). What runs is the server's
 * one composition ({@link LeaseholdServer#serve}): the event log, the lease history and, when
 * configured, the control API run beside it as add-ons found on the class path.
 */
@Command(name = "serve", description = "Run the DHCPv4 server.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "configuration file")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        LeaseholdServer server;
        try {
            server = LeaseholdServer.serve(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().start(server::reload));
        } catch (IllegalArgumentException e) {
            System.err.println("SIGHUP reload unavailable on this platform: " + e.getMessage());
        }
        stopped.await();
        return 0;
    }
}
