package dev.leasehold.testkit.netns;

/**
 * The namespace joining the lab's two LANs: one veth on the server's LAN, one on the relayed LAN
 * (RFC 1542 §4: a relay agent sets giaddr to the address of the interface the request came in on,
 * so {@code downstream}'s address is the giaddr the server sees).
 */
public record Relay(LabNode upstream, LabNode downstream) {

    public String namespace() {
        return upstream.namespace();
    }
}
