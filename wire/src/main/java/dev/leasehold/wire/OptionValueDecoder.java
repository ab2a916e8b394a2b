package dev.leasehold.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns wire bytes already known to fit their {@link OptionType} into an {@link OptionValue}. */
final class OptionValueDecoder {
    private OptionValueDecoder() {
    }

    static OptionValue decode(OptionType type, byte[] v) {
        return switch (type) {
            case IPV4_ADDRESS -> new OptionValue.Address(Ipv4Address.read(v, 0));
            case IPV4_ADDRESS_LIST, IPV4_ADDRESS_LIST_OR_EMPTY -> new OptionValue.Addresses(addresses(v, 0, v.length));
            case IPV4_ADDRESS_PAIRS -> {
                List<OptionValue.AddressPair> pairs = new ArrayList<>();
                for (int i = 0; i < v.length; i += 8) {
                    pairs.add(new OptionValue.AddressPair(Ipv4Address.read(v, i), Ipv4Address.read(v, i + 4)));
                }
                yield new OptionValue.AddressPairs(pairs);
            }
            case UINT8 -> new OptionValue.Unsigned(v[0] & 0xFF);
            case UINT16 -> new OptionValue.Unsigned(TextValues.u16(v, 0));
            case UINT32 -> new OptionValue.Unsigned(Integer.toUnsignedLong(TextValues.s32(v, 0)));
            case INT32 -> new OptionValue.Signed(TextValues.s32(v, 0));
            case UINT8_LIST -> {
                List<Integer> out = new ArrayList<>();
                for (byte b : v) {
                    out.add(b & 0xFF);
                }
                yield new OptionValue.UnsignedList(out);
            }
            case UINT16_LIST -> {
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < v.length; i += 2) {
                    out.add(TextValues.u16(v, i));
                }
                yield new OptionValue.UnsignedList(out);
            }
            case BOOLEAN -> new OptionValue.Flag(v[0] == 1);
            case STRING -> new OptionValue.Text(new String(v, StandardCharsets.UTF_8));
            case DOMAIN_NAME -> new OptionValue.Text(new String(v, StandardCharsets.US_ASCII));
            case BYTES -> new OptionValue.Opaque(v);
            case EMPTY -> new OptionValue.Empty();
            case DOMAIN_SEARCH_LIST -> new OptionValue.DomainList(DomainNames.decodeList(v));
            case CLASSLESS_ROUTES -> {
                List<OptionValue.ClasslessRoute> routes = new ArrayList<>();
                int p = 0;
                while (p < v.length) {
                    int width = v[p++] & 0xFF;
                    int n = (width + 7) / 8;
                    byte[] destination = Arrays.copyOf(Arrays.copyOfRange(v, p, p + n), 4);
                    p += n;
                    routes.add(new OptionValue.ClasslessRoute(Ipv4Address.read(destination, 0), width, Ipv4Address.read(v, p)));
                    p += 4;
                }
                yield new OptionValue.ClasslessRoutes(routes);
            }
            case USER_CLASS -> {
                List<String> classes = new ArrayList<>();
                for (int p = 0; p < v.length; p += 1 + (v[p] & 0xFF)) {
                    classes.add(new String(v, p + 1, v[p] & 0xFF, StandardCharsets.UTF_8));
                }
                yield new OptionValue.UserClasses(classes);
            }
            case CLIENT_FQDN -> {
                String text = type.formatText(v);
                int comma = text.indexOf(',', text.indexOf(',', text.indexOf(',') + 1) + 1);
                yield new OptionValue.ClientFqdn(v[0] & 0xFF, v[1] & 0xFF, v[2] & 0xFF, text.substring(comma + 1).trim());
            }
            case RELAY_AGENT_INFO -> new OptionValue.RelayAgentInfo(RelayAgentInformation.parse(v));
            case VIVCO, VIVSO -> {
                List<OptionValue.VendorBlock> vendors = new ArrayList<>();
                for (int p = 0; p < v.length; p += 5 + (v[p + 4] & 0xFF)) {
                    vendors.add(new OptionValue.VendorBlock(Integer.toUnsignedLong(TextValues.s32(v, p)),
                            Arrays.copyOfRange(v, p + 5, p + 5 + (v[p + 4] & 0xFF))));
                }
                yield new OptionValue.VendorData(vendors);
            }
        };
    }

    private static List<Ipv4Address> addresses(byte[] v, int from, int to) {
        List<Ipv4Address> out = new ArrayList<>((to - from) / 4);
        for (int i = from; i < to; i += 4) {
            out.add(Ipv4Address.read(v, i));
        }
        return out;
    }
}
