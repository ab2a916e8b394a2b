package dev.leasehold.bench.wire;

import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinitions;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding and encoding of the two messages a server handles most: a client's DISCOVER (as
 * dhclient sends it) and the server's ACK with the usual network options. Encoding goes into a
 * reused buffer, as the server's send path does, and also into a fresh array for comparison.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar WireCodecBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WireCodecBenchmark {

    /** A DISCOVER as dhclient 4.4 sends it: client id, requested address, host name, 13 requested options. */
    private static final String DISCOVER_HEX = "0101060039 03f32600 038000"
            + "00000000 00000000 00000000 00000000" + "525400123456" + "00".repeat(10)
            + "00".repeat(64) + "00".repeat(128) + "63825363"
            + "350101" + "3d0701525400123456" + "3204c0a80164" + "0c05686f737431"
            + "370d011c02030f06770c2c2f1a792a" + "ff" + "00".repeat(19);

    private byte[] discoverBytes;
    private byte[] ackBytes;
    private DhcpMessage discover;
    private DhcpMessage ack;
    private final byte[] buffer = new byte[1500];

    @Setup
    public void setUp() throws MalformedMessageException {
        discoverBytes = HexFormat.of().parseHex(DISCOVER_HEX.replace(" ", ""));
        discover = DhcpCodec.decode(discoverBytes);
        OptionDefinitions defs = OptionDefinitions.standard();
        DhcpOptions options = DhcpOptions.builder()
                .put(OptionCode.MESSAGE_TYPE, MessageType.ACK.code())
                .put(OptionCode.SERVER_IDENTIFIER, Ipv4Address.parse("192.168.1.1"))
                .putU32(OptionCode.LEASE_TIME, 86_400)
                .putU32(OptionCode.RENEWAL_TIME, 43_200)
                .putU32(OptionCode.REBINDING_TIME, 75_600)
                .put(OptionCode.SUBNET_MASK, Ipv4Address.parse("255.255.255.0"))
                .put(OptionCode.ROUTERS, Ipv4Address.parse("192.168.1.1"))
                .put(OptionCode.DOMAIN_NAME_SERVERS, defs.byName("domain-name-servers").orElseThrow().parseText("192.168.1.1, 8.8.8.8"))
                .put(OptionCode.DOMAIN_NAME, defs.byName("domain-name").orElseThrow().parseText("example.com"))
                .put(OptionCode.DOMAIN_SEARCH, defs.byName("domain-search").orElseThrow().parseText("example.com, corp.example.com"))
                .put(OptionCode.INTERFACE_MTU, defs.byName("interface-mtu").orElseThrow().parseText("1500"))
                .build();
        ack = DhcpMessage.builder()
                .op(DhcpMessage.BootOp.BOOTREPLY)
                .xid(0x3903f326)
                .yiaddr(Ipv4Address.parse("192.168.1.100"))
                .hardwareAddress(HardwareAddress.parseEthernet("52:54:00:12:34:56"))
                .options(options)
                .build();
        ackBytes = DhcpCodec.encode(ack);
    }

    @Benchmark
    public DhcpMessage decodeDiscover() throws MalformedMessageException {
        return DhcpCodec.decode(discoverBytes, 0, discoverBytes.length);
    }

    @Benchmark
    public DhcpMessage decodeAck() throws MalformedMessageException {
        return DhcpCodec.decode(ackBytes, 0, ackBytes.length);
    }

    @Benchmark
    public int encodeDiscoverIntoBuffer() {
        return DhcpCodec.encode(discover, buffer, buffer.length);
    }

    @Benchmark
    public int encodeAckIntoBuffer() {
        return DhcpCodec.encode(ack, buffer, DhcpCodec.DEFAULT_MAX_MESSAGE_SIZE);
    }

    @Benchmark
    public byte[] encodeAckToNewArray() {
        return DhcpCodec.encode(ack);
    }
}
