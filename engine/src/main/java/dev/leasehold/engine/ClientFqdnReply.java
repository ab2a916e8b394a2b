package dev.leasehold.engine;

import dev.leasehold.config.DdnsSettings;
import dev.leasehold.config.Reservation;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The client's DNS name and the server's answer in the Client FQDN option (option 81, RFC 4702).
 *
 * <p>The name, in order of precedence: a reservation's host name; a generated
 * {@code <prefix>-10-0-0-7} when {@code ddns-replace-client-name} asks for one (or the client sent
 * an empty name); the name in option 81; the host name in option 12 (RFC 4702 §3.1: option 81
 * wins over a conflicting option 12). Each label is scrubbed of the characters
 * {@code hostname-char-set} names, and a partial name is completed with
 * {@code ddns-qualifying-suffix} (RFC 4702 §3.1, §4); a name of one label counts as partial even
 * when the client ended it with the root label, as dhclient does.
 *
 * <p>The answer (§4): the flags S, O and N as the server will act (§3.1: S the server updates the
 * A record, N no update at all, O the server overrode the client's S), E as the client sent it,
 * both RCODE fields 255 (§3.3), and the name in the client's encoding: canonical wire format
 * (§3.1, E=1) or the deprecated ASCII form (E=0, written without a final dot).
 */
final class ClientFqdnReply {

    static final int FLAG_S = 0x01;
    static final int FLAG_O = 0x02;
    static final int FLAG_E = 0x04;
    static final int FLAG_N = 0x08;
    private static final int MAX_NAME = 253;

    private ClientFqdnReply() {
    }

    /** Option 81 as the client sent it (RFC 4702 §2): flags and its name, full or partial. */
    record ClientFqdn(int flags, String name, boolean fullyQualified) {

        boolean wireEncoded() {
            return (flags & FLAG_E) != 0;
        }

        /**
         * Decodes the option; empty when it is malformed (shorter than 3 octets, a label running
         * past the end, a compression pointer, a label of more than 63 octets): a malformed option
         * is treated as absent, never as a reason to drop the request.
         */
        static Optional<ClientFqdn> decode(byte[] v) {
            if (v == null || v.length < 3) {
                return Optional.empty();
            }
            int flags = v[0] & 0x0F;
            if ((flags & FLAG_E) == 0) {
                int end = v.length;
                while (end > 3 && v[end - 1] == 0) {
                    end--; // some clients end the ASCII name with a NUL
                }
                String text = new String(v, 3, end - 3, StandardCharsets.US_ASCII);
                boolean full = text.endsWith(".");
                return Optional.of(new ClientFqdn(flags, full ? text.substring(0, text.length() - 1) : text, full));
            }
            List<String> labels = new ArrayList<>();
            int i = 3;
            boolean full = false;
            while (i < v.length) {
                int len = v[i] & 0xFF;
                if (len == 0) {
                    full = true;
                    i++;
                    break;
                }
                if (len > 63 || i + 1 + len > v.length) {
                    return Optional.empty();
                }
                labels.add(new String(v, i + 1, len, StandardCharsets.ISO_8859_1));
                i += 1 + len;
            }
            if (i != v.length) {
                return Optional.empty();
            }
            return Optional.of(new ClientFqdn(flags, String.join(".", labels), full));
        }
    }

    /**
     * What the server decided for one client.
     *
     * @param sent the client's option 81, empty when it sent none (or a malformed one)
     * @param fqdn the name, lower case, without the final dot; empty when the client has none
     * @param qualified whether {@code fqdn} is fully qualified
     * @param replyFlags the flags of the answer (with E as the client sent it)
     * @param forward whether the server adds the A record
     * @param reverse whether the server adds the PTR record
     */
    record Naming(Optional<ClientFqdn> sent, String fqdn, boolean qualified, int replyFlags, boolean forward,
                  boolean reverse) {}

    /** The name and flags for a client of {@code subnet} given {@code address}. */
    static Naming decide(DhcpMessage request, DdnsSettings s, Reservation reservation, Ipv4Address address) {
        Optional<ClientFqdn> sent = ClientFqdn.decode(request.options().getUnsafe(OptionCode.CLIENT_FQDN));
        String clientName = "";
        boolean clientFull = false;
        if (sent.isPresent()) {
            clientName = sent.get().name();
            // dhclient ends even a bare host name with the root label; one label is never a client's
            // FQDN (it would be a top-level domain), so it is completed as ISC dhcpd does.
            clientFull = sent.get().fullyQualified() && clientName.contains(".");
        } else if (request.hostName().isPresent()) {
            clientName = request.hostName().get();
            // A single label is a host name to complete; a dotted one is taken as the client's FQDN.
            clientFull = clientName.contains(".");
        }
        String name;
        boolean full;
        boolean clientSentName = !clientName.isBlank();
        if (reservation != null && !reservation.hostname().isEmpty()) {
            name = reservation.hostname();
            full = name.contains(".");
        } else if (generates(s.replaceClientName(), clientSentName, sent.isPresent() || request.hostName().isPresent())) {
            name = generated(s, address);
            full = false;
        } else {
            name = clientName;
            full = clientFull;
        }
        name = scrub(name, s.invalidCharacters(), s.hostnameCharReplacement());
        if (name.isEmpty() && (sent.isPresent() || request.hostName().isPresent())) {
            name = scrub(generated(s, address), Optional.empty(), "");
            full = false;
        }
        if (!name.isEmpty() && !full && !s.qualifyingSuffix().isEmpty()) {
            name = name + "." + s.qualifyingSuffix();
            full = true;
        }
        if (name.length() > MAX_NAME) {
            name = "";
        }
        int clientFlags = sent.map(ClientFqdn::flags).orElse(0);
        boolean clientS = (clientFlags & FLAG_S) != 0;
        boolean clientN = (clientFlags & FLAG_N) != 0 && !clientS;
        boolean serverS;
        boolean serverN;
        if (!s.sendUpdates() || name.isEmpty()) {
            serverS = false;
            serverN = true;
        } else if (sent.isEmpty()) {
            // Option 12 or a generated name: the client cannot update DNS itself, so the server does both.
            serverS = true;
            serverN = false;
        } else {
            serverS = clientS || s.overrideClientUpdate() || (clientN && s.overrideNoUpdate());
            serverN = !serverS && clientN;
        }
        int flags = (clientFlags & FLAG_E) | (serverS ? FLAG_S : 0) | (serverN ? FLAG_N : 0)
                | (sent.isPresent() && clientS != serverS ? FLAG_O : 0);
        boolean forward = serverS && s.forwardUpdates();
        boolean reverse = !serverN && s.sendUpdates() && !name.isEmpty() && s.reverseUpdates();
        return new Naming(sent, name, full, flags, forward, reverse);
    }

    /** Puts option 81 into an OFFER or ACK for a client that sent one (RFC 4702 §4). */
    static void addTo(DhcpOptions.Builder o, Naming naming) {
        if (naming.sent().isEmpty()) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(naming.replyFlags());
        out.write(255); // RCODE1 and RCODE2: §3.3, a server sets both to 255
        out.write(255);
        if (naming.sent().get().wireEncoded()) {
            if (!naming.fqdn().isEmpty()) {
                for (String label : naming.fqdn().split("\\.")) {
                    byte[] b = label.getBytes(StandardCharsets.ISO_8859_1);
                    out.write(b.length);
                    out.writeBytes(b);
                }
            }
            if (naming.qualified()) {
                out.write(0);
            }
        } else {
            out.writeBytes(naming.fqdn().getBytes(StandardCharsets.US_ASCII));
        }
        o.putUnsafe(OptionCode.CLIENT_FQDN, out.toByteArray());
    }

    /** The registration for the ACK's lease event, {@link DnsUpdate#NONE} when the server updates nothing. */
    static DnsUpdate dnsUpdate(DhcpMessage request, Naming naming) {
        if (naming.fqdn().isEmpty() || !(naming.forward() || naming.reverse())) {
            return DnsUpdate.NONE;
        }
        return new DnsUpdate(naming.fqdn(), naming.forward(), naming.reverse(), dhcidIdentifier(request));
    }

    /**
     * RFC 4701 §3.3: identifier type 0x0002 and the DUID for an RFC 4361 client identifier (type
     * 255, then a 4-octet IAID), 0x0001 and option 61's octets for any other, else 0x0000 with
     * htype and chaddr.
     */
    static byte[] dhcidIdentifier(DhcpMessage request) {
        byte[] clientId = request.options().getUnsafe(OptionCode.CLIENT_IDENTIFIER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (clientId != null && clientId.length > 5 && (clientId[0] & 0xFF) == 255) {
            out.writeBytes(new byte[] {0, 2});
            out.write(clientId, 5, clientId.length - 5);
        } else if (clientId != null && clientId.length > 0) {
            out.writeBytes(new byte[] {0, 1});
            out.writeBytes(clientId);
        } else {
            out.writeBytes(new byte[] {0, 0});
            out.write(request.hardwareAddress().htype());
            out.writeBytes(request.hardwareAddress().bytes());
        }
        return out.toByteArray();
    }

    private static boolean generates(DdnsSettings.ReplaceClientName mode, boolean clientSentName, boolean clientAsked) {
        return switch (mode) {
            case NEVER -> false;
            case ALWAYS -> true;
            case WHEN_PRESENT -> clientAsked;
            case WHEN_NOT_PRESENT -> !clientSentName;
        };
    }

    /** Kea's generated name: the prefix and the address with '-' for '.', as one label. */
    static String generated(DdnsSettings s, Ipv4Address address) {
        return s.generatedPrefix() + "-" + address.toString().replace('.', '-');
    }

    /** Lower case; in each label the invalid characters replaced; empty labels dropped; labels cut to 63 octets. */
    static String scrub(String name, Optional<Pattern> invalid, String replacement) {
        List<String> labels = new ArrayList<>();
        for (String label : name.toLowerCase(Locale.ROOT).split("\\.")) {
            String clean = invalid.map(p -> p.matcher(label).replaceAll(java.util.regex.Matcher.quoteReplacement(replacement)))
                    .orElse(label);
            if (clean.length() > 63) {
                clean = clean.substring(0, 63);
            }
            if (!clean.isEmpty()) {
                labels.add(clean);
            }
        }
        return String.join(".", labels);
    }
}
