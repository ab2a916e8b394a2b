package dev.leasehold.wire;

/**
 * Lays out the options of a message that does not fit its size limit in the options field
 * alone: the overflow goes into {@code file}, then {@code sname}, each area closed by an end
 * option, and option 52 at the head of the options field says which were used (RFC 2132 §9.3,
 * RFC 2131 §4.1). Option 82 keeps its place at the end of the options field, where relay agents
 * look for it (RFC 3046 §2.2). An option that fits whole in the next area is moved there rather
 * than split; a longer one is split across areas (RFC 3396 §7), which the receiver joins in the
 * order options, file, sname (RFC 3396 §6).
 */
final class OverloadPacker {
    private static final int FIELD_FILE = 1;
    private static final int FIELD_SNAME = 2;

    private final DhcpMessage message;
    private final byte[] out;
    private final int limit;
    private final int plainSize;
    private final int[] starts = new int[3];
    private final int[] ends = new int[3];
    private final int[] fields = new int[3];
    private int areaCount;

    OverloadPacker(DhcpMessage message, byte[] out, int limit, int plainSize) {
        this.message = message;
        this.out = out;
        this.limit = limit;
        this.plainSize = plainSize;
    }

    int pack() {
        DhcpOptions options = message.options();
        byte[] relay = options.getUnsafe(OptionCode.RELAY_AGENT_INFORMATION);
        int relaySize = relay == null ? 0 : DhcpCodec.encodedLength(relay.length);
        // options field: after option 52 (3 bytes), before option 82 and the end option
        addArea(DhcpCodec.OPTIONS_OFFSET + 3, limit - 1 - relaySize, 0);
        if (DhcpCodec.isZero(message.file())) {
            addArea(108, DhcpCodec.HEADER_LENGTH - 1, FIELD_FILE);
        }
        if (DhcpCodec.isZero(message.sname())) {
            addArea(44, 108 - 1, FIELD_SNAME);
        }
        if (ends[0] < starts[0] || areaCount == 1) {
            throw new MessageTooLargeException(plainSize, limit);
        }
        DhcpCodec.writeHeader(message, out);
        int area = 0;
        int p = starts[0];
        int optionsEnd = -1;
        for (int i = 0; i < options.size(); i++) {
            int code = options.codeAt(i);
            if (code == OptionCode.OVERLOAD || code == OptionCode.RELAY_AGENT_INFORMATION) {
                continue;
            }
            byte[] value = options.valueAtUnsafe(i);
            int pos = 0;
            while (true) {
                int rest = value.length - pos;
                int chunk = Math.min(rest, 255);
                int room = ends[area] - p;
                if (2 + chunk <= room) {
                    p = write(p, code, value, pos, chunk);
                    pos += chunk;
                    if (pos >= value.length) {
                        break;
                    }
                    continue;
                }
                boolean last = area + 1 >= areaCount;
                if (!last && rest <= 255 && 2 + rest <= ends[area + 1] - starts[area + 1]) {
                    // keep a short option whole: move on and leave this area's tail unused
                } else if (room >= 3 && rest > 0) {
                    int part = Math.min(room - 2, chunk);
                    p = write(p, code, value, pos, part);
                    pos += part;
                }
                if (last) {
                    throw new MessageTooLargeException(plainSize, limit);
                }
                if (area == 0) {
                    optionsEnd = p;
                } else {
                    out[p] = (byte) OptionCode.END;
                }
                area++;
                p = starts[area];
            }
        }
        if (area == 0) {
            optionsEnd = p;
        } else {
            out[p] = (byte) OptionCode.END;
        }
        int overload = 0;
        for (int a = 1; a <= area; a++) {
            overload |= fields[a];
        }
        if (overload == 0) {
            // everything fitted in the options field after all (the 3 bytes of 52 were not needed)
            throw new AssertionError("overload packing used only the options field");
        }
        out[DhcpCodec.OPTIONS_OFFSET] = (byte) OptionCode.OVERLOAD;
        out[DhcpCodec.OPTIONS_OFFSET + 1] = 1;
        out[DhcpCodec.OPTIONS_OFFSET + 2] = (byte) overload;
        if (relay != null) {
            optionsEnd = DhcpCodec.writeOption(out, optionsEnd, OptionCode.RELAY_AGENT_INFORMATION, relay);
        }
        out[optionsEnd++] = (byte) OptionCode.END;
        int size = Math.max(optionsEnd, DhcpCodec.MIN_MESSAGE_SIZE);
        java.util.Arrays.fill(out, optionsEnd, size, (byte) 0);
        return size;
    }

    private void addArea(int start, int end, int field) {
        starts[areaCount] = start;
        ends[areaCount] = end;
        fields[areaCount] = field;
        areaCount++;
    }

    private int write(int p, int code, byte[] value, int from, int length) {
        out[p] = (byte) code;
        out[p + 1] = (byte) length;
        System.arraycopy(value, from, out, p + 2, length);
        return p + 2 + length;
    }
}
