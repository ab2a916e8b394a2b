package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.util.ArrayList;
import java.util.List;

/** A {@link ClientIo} that records what the machine asked for. */
final class RecordingIo implements ClientIo {

    /** One message sent; {@code to} is null for a broadcast. */
    record Sent(DhcpMessage message, Ipv4Address to) {
        MessageType type() {
            return message.messageType().orElseThrow();
        }
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Ipv4Address> probes = new ArrayList<>();
    final List<LeaseEvent> events = new ArrayList<>();
    final List<Binding> declined = new ArrayList<>();
    final List<DhcpMessage> informed = new ArrayList<>();
    final List<String> ignored = new ArrayList<>();
    final List<String> tolerated = new ArrayList<>();

    @Override
    public void broadcast(DhcpMessage message) {
        sent.add(new Sent(message, null));
    }

    @Override
    public void unicast(DhcpMessage message, Ipv4Address server) {
        sent.add(new Sent(message, server));
    }

    @Override
    public void probe(Ipv4Address address) {
        probes.add(address);
    }

    @Override
    public void leaseChanged(LeaseEvent event) {
        events.add(event);
    }

    @Override
    public void declined(Binding binding) {
        declined.add(binding);
    }

    @Override
    public void informed(DhcpMessage ack) {
        informed.add(ack);
    }

    @Override
    public void tolerated(DhcpMessage message, String problem) {
        tolerated.add(problem);
    }

    @Override
    public void ignored(DhcpMessage message, String reason) {
        ignored.add(reason);
    }

    Sent last() {
        return sent.getLast();
    }

    LeaseEvent lastEvent() {
        return events.getLast();
    }
}
