package dev.leasehold.ddns;

import dev.leasehold.config.ServerConfig;
import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.time.Clock;

/**
 * Opens the {@link Ddns} add-on; named in {@code META-INF/services} so that a composition root
 * that looks for add-ons on the class path finds it. Does nothing without a {@code dhcp-ddns}
 * section.
 */
public final class DdnsAddOnFactory implements LeaseholdServer.AddOnFactory {

    public DdnsAddOnFactory() {
        // ServiceLoader needs a public no-argument constructor
    }

    @Override
    public LeaseholdServer.AddOn open(ServerConfig config, Clock clock) throws IOException {
        return Ddns.open(config, clock);
    }
}
