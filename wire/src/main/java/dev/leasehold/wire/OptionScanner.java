package dev.leasehold.wire;

import java.util.Arrays;

/**
 * Walks the option areas of one received message (RFC 2132 §2) and collects the options: the
 * options field, then {@code file} and {@code sname} when option 52 overloads them (RFC 2132
 * §9.3), joining the instances of a code in that order (RFC 3396 §6). One instance per message.
 *
 * <p>The first pass only records where each code's first instance lies and how long all of its
 * instances are together; values are copied once at the end, so the bytes allocated stay
 * proportional to the input however the options are split, and a message without split options
 * is copied in a single pass.
 */
final class OptionScanner {
    static final int AREA_OPTIONS = 0;
    static final int AREA_FILE = 1;
    static final int AREA_SNAME = 2;
    private static final String[] AREA_NAMES = {"options field", "file field (overloaded)", "sname field (overloaded)"};
    private static final OptionDefinitions DEFINITIONS = OptionDefinitions.standard();

    private final byte[] data;
    private final int base;
    private int[] codes = new int[16];
    /** Per distinct code: start of the first value, then the joined length. */
    private int[] spans = new int[32];
    private int count;
    private boolean split;
    private int overload;
    /** The areas walked, as [from, to) pairs, for the rare second pass over split options. */
    private int area0From;
    private int area0To;
    private int area1From;
    private int area1To;
    private int area2From;
    private int area2To;
    private int areas;

    OptionScanner(byte[] data, int base) {
        this.data = data;
        this.base = base;
    }

    /** The value of option 52 seen in the options field, 0 when none. */
    int overload() {
        return overload;
    }

    /** Records the options of one area, message-relative offsets {@code [from, to)}. */
    void walk(int from, int to, int area) throws MalformedMessageException {
        switch (areas++) {
            case 0 -> {
                area0From = from;
                area0To = to;
            }
            case 1 -> {
                area1From = from;
                area1To = to;
            }
            default -> {
                area2From = from;
                area2To = to;
            }
        }
        byte[] d = data;
        int b = base;
        int p = from;
        while (p < to) {
            int code = d[b + p] & 0xFF;
            if (code == OptionCode.PAD) {
                p++;
                continue;
            }
            if (code == OptionCode.END) {
                return;
            }
            if (p + 1 >= to) {
                throw new MalformedMessageException(p, "option " + code + " has no length byte before the end of the " + AREA_NAMES[area]);
            }
            int len = d[b + p + 1] & 0xFF;
            if (p + 2 + len > to) {
                throw new MalformedMessageException(p + 1, "option " + code + " has length " + len
                        + ", past the end of the " + AREA_NAMES[area] + " at byte " + to);
            }
            if (code == OptionCode.OVERLOAD) {
                readOverload(p, len, area);
            } else {
                record(code, p + 2, len);
            }
            p += 2 + len;
        }
        // An area that runs out without the end option is accepted: the bytes so far are whole.
    }

    private void readOverload(int p, int len, int area) throws MalformedMessageException {
        if (area != AREA_OPTIONS) {
            throw new MalformedMessageException(p, "option overload (52) inside the " + AREA_NAMES[area]
                    + "; RFC 2132 §9.3 allows it only in the options field");
        }
        if (overload != 0) {
            throw new MalformedMessageException(p, "option overload (52) appears twice, naming the same fields again");
        }
        if (len != 1) {
            throw new MalformedMessageException(p + 1, "option overload (52) must be 1 byte long, is " + len);
        }
        int value = data[base + p + 2] & 0xFF;
        if (value < 1 || value > 3) {
            throw new MalformedMessageException(p + 2, "option overload (52) value " + value + " is not 1 (file), 2 (sname) or 3 (both)");
        }
        overload = value;
    }

    private void record(int code, int start, int len) {
        int[] c = codes;
        for (int i = 0; i < count; i++) {
            if (c[i] == code) {
                spans[2 * i + 1] += len;
                split = true;
                return;
            }
        }
        if (count == c.length) {
            // At most 254 distinct codes, so this grows a handful of times at worst.
            codes = Arrays.copyOf(c, count * 2);
            spans = Arrays.copyOf(spans, count * 4);
        }
        codes[count] = code;
        spans[2 * count] = start;
        spans[2 * count + 1] = len;
        count++;
    }

    /** Checks the joined values against the standard definitions and copies them out. */
    DhcpOptions finish() throws MalformedMessageException {
        for (int i = 0; i < count; i++) {
            int code = codes[i];
            int len = spans[2 * i + 1];
            if (code == OptionCode.MESSAGE_TYPE && len != 1) {
                throw new MalformedMessageException(spans[2 * i] - 1, "option 53 (dhcp-message-type) must be 1 byte long, is " + len);
            }
            if (len == 0) {
                OptionType type = DEFINITIONS.typeOrNull(code);
                if (type != null && !type.allowsEmpty()) {
                    throw new MalformedMessageException(spans[2 * i] - 1, "option " + code + " ("
                            + DEFINITIONS.byCode(code).orElseThrow().name() + ") is empty but needs a value");
                }
            }
        }
        byte[][] values = new byte[count][];
        if (!split) {
            for (int i = 0; i < count; i++) {
                int start = base + spans[2 * i];
                values[i] = Arrays.copyOfRange(data, start, start + spans[2 * i + 1]);
            }
        } else {
            copySplit(values);
        }
        return DhcpOptions.ofOwned(codes, values, count);
    }

    /** The rare path: walks the areas again and appends each instance to its code's value. */
    private void copySplit(byte[][] values) {
        int[] filled = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = new byte[spans[2 * i + 1]];
        }
        for (int a = 0; a < areas; a++) {
            int p = a == 0 ? area0From : a == 1 ? area1From : area2From;
            int to = a == 0 ? area0To : a == 1 ? area1To : area2To;
            while (p < to) {
                int code = data[base + p] & 0xFF;
                if (code == OptionCode.PAD) {
                    p++;
                    continue;
                }
                if (code == OptionCode.END) {
                    break;
                }
                int len = data[base + p + 1] & 0xFF;
                if (code != OptionCode.OVERLOAD) {
                    int i = indexOf(code);
                    System.arraycopy(data, base + p + 2, values[i], filled[i], len);
                    filled[i] += len;
                }
                p += 2 + len;
            }
        }
    }

    private int indexOf(int code) {
        for (int i = 0; i < count; i++) {
            if (codes[i] == code) {
                return i;
            }
        }
        throw new AssertionError("code " + code + " was recorded in the first pass");
    }
}
