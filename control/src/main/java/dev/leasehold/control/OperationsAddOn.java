package dev.leasehold.control;

import dev.leasehold.config.ServerConfig;
import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.time.Clock;

/**
 * {@link Operations} as an installed add-on: named in this module's
 * {@code META-INF/services/dev.leasehold.server.LeaseholdServer$AddOnFactory}, so the server's
 * composition root ({@code ServerComposition.installedAddOns()}) opens it wherever this module
 * is on the class path.
 */
public final class OperationsAddOn implements LeaseholdServer.AddOnFactory {

    private final LeaseholdServer.AddOnFactory operations = Operations.factory();

    @Override
    public LeaseholdServer.AddOn open(ServerConfig config, Clock clock) throws IOException {
        return operations.open(config, clock);
    }
}
