package dev.leasehold.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The options of one message, in wire order, each code at most once (RFC 3396 §6 joins the
 * instances of a split option). Immutable; {@link #toBuilder()} makes a changed copy.
 *
 * <p>Held as two parallel arrays rather than a map: a message has a dozen options, a linear
 * scan over an {@code int[]} beats hashing, and the order the client sent survives encoding.
 * Values are shared with the caller of {@link #getUnsafe}, never exposed through the public
 * copying accessors.
 */
public final class DhcpOptions {

    private static final DhcpOptions EMPTY = new DhcpOptions(new int[0], new byte[0][], 0);

    private final int[] codes;
    private final byte[][] values;
    private final int size;

    private DhcpOptions(int[] codes, byte[][] values, int size) {
        this.codes = codes;
        this.values = values;
        this.size = size;
    }

    public static DhcpOptions empty() {
        return EMPTY;
    }

    /**
     * Options from arrays the caller gives up (the decoder's own): {@code codes} and
     * {@code values} hold {@code size} entries, distinct codes, and are never touched again.
     */
    static DhcpOptions ofOwned(int[] codes, byte[][] values, int size) {
        return size == 0 ? EMPTY : new DhcpOptions(codes, values, size);
    }

    public static Builder builder() {
        return new Builder(8);
    }

    public Builder toBuilder() {
        Builder b = new Builder(Math.max(8, size + 4));
        System.arraycopy(codes, 0, b.codes, 0, size);
        System.arraycopy(values, 0, b.values, 0, size);
        b.size = size;
        return b;
    }

    public int size() {
        return size;
    }

    public boolean contains(int code) {
        return indexOf(code) >= 0;
    }

    /** A copy of the value of {@code code}, or empty when the message does not carry it. */
    public Optional<byte[]> get(int code) {
        int i = indexOf(code);
        return i < 0 ? Optional.empty() : Optional.of(values[i].clone());
    }

    /**
     * The value array itself, or {@code null}: for the codec and the per-packet path, which
     * must not modify it. Everyone else uses {@link #get}.
     */
    public byte[] getUnsafe(int code) {
        int i = indexOf(code);
        return i < 0 ? null : values[i];
    }

    /** The code at position {@code index} in wire order. */
    public int codeAt(int index) {
        return codes[index];
    }

    /** The value at position {@code index}, not copied; must not be modified. */
    public byte[] valueAtUnsafe(int index) {
        return values[index];
    }

    public List<DhcpOption> asList() {
        List<DhcpOption> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new DhcpOption(codes[i], values[i]));
        }
        return out;
    }

    private int indexOf(int code) {
        for (int i = 0; i < size; i++) {
            if (codes[i] == code) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DhcpOptions other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (codes[i] != other.codes[i] || !Arrays.equals(values[i], other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + codes[i];
            h = 31 * h + Arrays.hashCode(values[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return asList().toString();
    }

    /** Collects options in order; putting a code already present replaces it in place. */
    public static final class Builder {
        private int[] codes;
        private byte[][] values;
        private int size;

        private Builder(int capacity) {
            codes = new int[capacity];
            values = new byte[capacity][];
        }

        /** Sets {@code code} to a copy of {@code value}. */
        public Builder put(int code, byte[] value) {
            return putUnsafe(code, value.clone());
        }

        /** Sets {@code code} to {@code value} without copying: the caller gives the array up. */
        public Builder putUnsafe(int code, byte[] value) {
            if (code < 1 || code > 254) {
                throw new IllegalArgumentException("option code must be 1-254: " + code);
            }
            for (int i = 0; i < size; i++) {
                if (codes[i] == code) {
                    values[i] = value;
                    return this;
                }
            }
            if (size == codes.length) {
                codes = Arrays.copyOf(codes, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            codes[size] = code;
            values[size++] = value;
            return this;
        }

        /** Appends {@code more} to the value of {@code code} (RFC 3396 concatenation). */
        public Builder append(int code, byte[] more) {
            for (int i = 0; i < size; i++) {
                if (codes[i] == code) {
                    byte[] joined = Arrays.copyOf(values[i], values[i].length + more.length);
                    System.arraycopy(more, 0, joined, values[i].length, more.length);
                    values[i] = joined;
                    return this;
                }
            }
            return putUnsafe(code, more.clone());
        }

        public Builder put(int code, int u8) {
            return putUnsafe(code, new byte[] {(byte) u8});
        }

        public Builder putU32(int code, long value) {
            return putUnsafe(code, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        }

        public Builder put(int code, Ipv4Address address) {
            return putUnsafe(code, address.toBytes());
        }

        public Builder remove(int code) {
            for (int i = 0; i < size; i++) {
                if (codes[i] == code) {
                    System.arraycopy(codes, i + 1, codes, i, size - i - 1);
                    System.arraycopy(values, i + 1, values, i, size - i - 1);
                    values[--size] = null;
                    return this;
                }
            }
            return this;
        }

        public boolean contains(int code) {
            for (int i = 0; i < size; i++) {
                if (codes[i] == code) {
                    return true;
                }
            }
            return false;
        }

        public DhcpOptions build() {
            return size == 0 ? EMPTY : new DhcpOptions(Arrays.copyOf(codes, size), Arrays.copyOf(values, size), size);
        }
    }
}
