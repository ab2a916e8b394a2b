package dev.leasehold.control;

import java.util.Map;

/**
 * Bounds on the JDK HTTP server, so incomplete requests cannot pile up: a connection must send a
 * whole request (headers and body) within {@link #REQUEST_SECONDS}, a connection that sends
 * nothing is closed after as long, a response may take {@link #RESPONSE_SECONDS}, and at most
 * {@link #MAX_CONNECTIONS} connections are open (the rest wait in the listen backlog).
 *
 * <p>The JDK server reads these only from system properties, once, when its first instance is
 * made; so they are set here (unless the operator set them with {@code -D}) before the first
 * server of the process. The names are those of {@code sun.net.httpserver.ServerConfig} in JDK 25.
 */
final class HttpLimits {

    static final long REQUEST_SECONDS = 10;
    static final long RESPONSE_SECONDS = 120;
    static final int MAX_CONNECTIONS = 256;

    private static final Map<String, String> PROPERTIES = Map.of(
            "sun.net.httpserver.maxReqTime", Long.toString(REQUEST_SECONDS),
            "sun.net.httpserver.maxRspTime", Long.toString(RESPONSE_SECONDS),
            // How often idle and newly accepted connections are checked, in ms (default 10 s).
            "sun.net.httpserver.clockTick", "1000",
            "sun.net.httpserver.idleInterval", "30",
            "jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));

    private HttpLimits() {
    }

    static void apply() {
        PROPERTIES.forEach((name, value) -> {
            if (System.getProperty(name) == null) {
                System.setProperty(name, value);
            }
        });
    }
}
