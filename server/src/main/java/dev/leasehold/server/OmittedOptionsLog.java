package dev.leasehold.server;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.ReplyFitter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Says once per client which options had to be left out of its replies to fit its size limit
 * ({@link ReplyFitter}), and again only when that changes: a client renewing every few minutes
 * must not write the same line each time. The memory of who was told is bounded (least recently
 * told forgotten first), and the lines themselves go through a {@link RateLimitedLog}, so a flood
 * of clients with made-up MACs costs neither memory nor log volume.
 *
 * <p>Thread-safe: replies are sent from the receiver thread and from store completions.
 */
final class OmittedOptionsLog {

    private static final int REMEMBERED_CLIENTS = 4096;

    private final RateLimitedLog log;
    private final Map<HardwareAddress, List<Integer>> told = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<HardwareAddress, List<Integer>> eldest) {
            return size() > REMEMBERED_CLIENTS;
        }
    };

    OmittedOptionsLog(RateLimitedLog log) {
        this.log = log;
    }

    /**
     * Notes that {@code fitted} left options out of {@code reply} to {@code request}'s client;
     * answers whether that was news (and so went to the log, rate limit permitting).
     */
    boolean report(DhcpMessage request, DhcpMessage reply, ReplyFitter.Fitted fitted) {
        HardwareAddress client = request.hardwareAddress();
        synchronized (told) {
            if (fitted.omitted().equals(told.get(client))) {
                return false;
            }
            told.put(client, fitted.omitted());
        }
        log.warn("left options {} out of the {} to {}: the reply must fit {} bytes ({}), so options the"
                        + " client did not ask for went first (highest code first), then those it listed last in option 55",
                fitted.omitted(), reply.messageType().map(Enum::name).orElse("reply"), client, fitted.limit(),
                request.maxMessageSize().isPresent() ? "its option 57 less IP and UDP headers"
                        : "no option 57: 576 less IP and UDP headers, RFC 2131 §2");
        return true;
    }
}
