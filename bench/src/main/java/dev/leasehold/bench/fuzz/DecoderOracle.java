package dev.leasehold.bench.fuzz;

import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageTooLargeException;
import dev.leasehold.wire.OptionCode;
import java.util.Optional;

/**
 * The decoder's rules (DESIGN §4.2, "the codec is pure and strict"): any bytes are either a
 * message or a {@link MalformedMessageException} with an offset inside them and a reason; and
 * what decodes encodes again into a datagram that decodes to the same message (options from
 * {@code file} and {@code sname} and RFC 3396 instances merged the same way twice), except that
 * the encoder puts option 82 last (RFC 3046 §2.1).
 */
public final class DecoderOracle {

    private DecoderOracle() {
    }

    /** Checks {@code data}; answers the message, or empty when it is rightly malformed. */
    public static Optional<DhcpMessage> check(byte[] data) {
        DhcpMessage message;
        try {
            message = DhcpCodec.decode(data, 0, data.length);
        } catch (MalformedMessageException e) {
            if (e.offset() < 0 || e.offset() > data.length || e.reason() == null || e.reason().isBlank()) {
                throw new FuzzFailure("MalformedMessageException with offset " + e.offset() + " outside the "
                        + data.length + " bytes, or no reason: " + e.getMessage(), data);
            }
            return Optional.empty();
        } catch (RuntimeException | Error e) {
            throw new FuzzFailure("the decoder threw something other than MalformedMessageException", data, e);
        }
        byte[] again;
        try {
            again = DhcpCodec.encode(message);
        } catch (MessageTooLargeException e) {
            if (data.length > DhcpCodec.MAX_UDP_PAYLOAD - 2_000) {
                return Optional.of(message); // merged instances re-split may not fit a datagram that was full
            }
            throw new FuzzFailure("a decoded message of " + data.length + " bytes does not encode again", data, e);
        } catch (RuntimeException | Error e) {
            throw new FuzzFailure("a decoded message does not encode again", data, e);
        }
        try {
            DhcpMessage back = DhcpCodec.decode(again);
            if (!withRelayInformationLast(back).equals(withRelayInformationLast(message))) {
                throw new FuzzFailure("decode(encode(m)) differs from m:\n  m    = " + message + "\n  back = " + back, data);
            }
        } catch (MalformedMessageException e) {
            throw new FuzzFailure("the encoder wrote bytes its decoder refuses: " + e.getMessage(), data, e);
        }
        return Optional.of(message);
    }

    private static DhcpMessage withRelayInformationLast(DhcpMessage m) {
        byte[] relay = m.options().getUnsafe(OptionCode.RELAY_AGENT_INFORMATION);
        if (relay == null) {
            return m;
        }
        DhcpOptions.Builder options = m.options().toBuilder().remove(OptionCode.RELAY_AGENT_INFORMATION);
        return m.toBuilder().options(options.putUnsafe(OptionCode.RELAY_AGENT_INFORMATION, relay).build()).build();
    }
}
