package dev.leasehold.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a reply so that it always fits what its client can take, leaving options out rather
 * than the whole reply.
 *
 * <p>The limit is the client's option 57 less the IP and UDP headers, never below the 576-byte
 * datagram every client accepts (RFC 2131 §2, RFC 2132 §9.10; {@link DhcpCodec#maxReplySize}).
 * First the encoder packs: long options split into instances (RFC 3396 §7), overflow into the
 * {@code file} and {@code sname} fields when the reply leaves them unused (RFC 2132 §9.3). Only
 * when that is not enough are options left out, one at a time, in this order:
 * <ol>
 * <li>options the client did not ask for in its parameter request list (option 55, RFC 2132
 *     §9.8), highest code first (the low codes are RFC 2132's basic network settings, the high
 *     ones later additions and site options); without option 55 every configured option counts
 *     as not asked for;</li>
 * <li>options it asked for, from the end of its option 55 list backwards (a code listed twice
 *     counts at its first place; codes the reply does not carry are skipped).</li>
 * </ol>
 * Never left out: 53 message type, 54 server identifier, 51 lease time, 58 / 59 T1 / T2,
 * 1 subnet mask, 3 routers, 6 DNS servers, 82 relay agent information (the relay needs it to
 * deliver the reply, RFC 3046 §2.2), 61 client identifier (RFC 6842 §3), and 118 subnet
 * selection (a client that sent it discards a reply without it, RFC 3011 §3). A reply that does
 * not fit even with only those is not sent ({@link MessageTooLargeException}).
 */
public final class ReplyFitter {

    private static final boolean[] ESSENTIAL = new boolean[256];

    static {
        for (int code : new int[] {OptionCode.MESSAGE_TYPE, OptionCode.SERVER_IDENTIFIER, OptionCode.LEASE_TIME,
                OptionCode.RENEWAL_TIME, OptionCode.REBINDING_TIME, OptionCode.SUBNET_MASK, OptionCode.ROUTERS,
                OptionCode.DOMAIN_NAME_SERVERS, OptionCode.RELAY_AGENT_INFORMATION, OptionCode.CLIENT_IDENTIFIER,
                OptionCode.SUBNET_SELECTION}) {
            ESSENTIAL[code] = true;
        }
    }

    /**
     * An encoded reply and what was left out of it to fit.
     *
     * @param bytes   the message, exactly as long as it is
     * @param limit   the size it had to fit
     * @param omitted codes left out, in the order they were dropped; empty when all fitted
     */
    public record Fitted(byte[] bytes, int limit, List<Integer> omitted) {
        public Fitted {
            omitted = List.copyOf(omitted);
        }

        public boolean trimmed() {
            return !omitted.isEmpty();
        }
    }

    private ReplyFitter() {
    }

    /** Whether {@code code} is never left out of a reply. */
    public static boolean essential(int code) {
        return code >= 0 && code < ESSENTIAL.length && ESSENTIAL[code];
    }

    /**
     * Encodes {@code reply} to fit the limit {@code request} allows.
     *
     * @throws MessageTooLargeException when even the essential options do not fit
     */
    public static Fitted fit(DhcpMessage reply, DhcpMessage request) {
        return fit(reply, request, DhcpCodec.maxReplySize(request));
    }

    /**
     * Encodes {@code reply} within {@code limit} bytes, leaving out options in the order above
     * until it fits.
     *
     * @throws MessageTooLargeException when even the essential options do not fit
     */
    public static Fitted fit(DhcpMessage reply, DhcpMessage request, int limit) {
        MessageTooLargeException tooLarge;
        try {
            return new Fitted(DhcpCodec.encode(reply, limit), limit, List.of());
        } catch (MessageTooLargeException e) {
            tooLarge = e;
        }
        DhcpOptions.Builder kept = reply.options().toBuilder();
        List<Integer> omitted = new ArrayList<>();
        for (int code : sheddingOrder(reply.options(), request.options().getUnsafe(OptionCode.PARAMETER_REQUEST_LIST))) {
            kept.remove(code);
            omitted.add(code);
            DhcpMessage smaller = reply.toBuilder().options(kept.build()).build();
            // overload adds at most the 192 bytes of sname and file: skip encodings that cannot fit
            if (DhcpCodec.plainSize(smaller) - DhcpMessage.SNAME_LENGTH - DhcpMessage.FILE_LENGTH > limit) {
                continue;
            }
            try {
                return new Fitted(DhcpCodec.encode(smaller, limit), limit, omitted);
            } catch (MessageTooLargeException e) {
                tooLarge = e;
            }
        }
        throw tooLarge;
    }

    /** The non-essential codes of {@code options} in the order they are left out. */
    static List<Integer> sheddingOrder(DhcpOptions options, byte[] requested) {
        boolean[] asked = new boolean[256];
        List<Integer> askedInOrder = new ArrayList<>();
        if (requested != null) {
            for (byte b : requested) {
                int code = b & 0xFF;
                if (!asked[code]) {
                    asked[code] = true;
                    askedInOrder.add(code);
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int code = 254; code >= 1; code--) {
            if (!ESSENTIAL[code] && !asked[code] && options.contains(code)) {
                order.add(code);
            }
        }
        for (int i = askedInOrder.size() - 1; i >= 0; i--) {
            int code = askedInOrder.get(i);
            if (!ESSENTIAL[code] && options.contains(code)) {
                order.add(code);
            }
        }
        return order;
    }
}
