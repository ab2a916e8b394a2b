package dev.leasehold.net;

/** One UDP payload to send; {@code [0, length)} of {@code payload} counts. */
public record OutboundDatagram(byte[] payload, int length, Destination destination) {}
