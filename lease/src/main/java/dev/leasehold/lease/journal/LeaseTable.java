package dev.leasehold.lease.journal;

import dev.leasehold.lease.Lease;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The in-memory index of the journal store: one slot per address, kept in parallel primitive
 * arrays so that a million leases cost about a hundred bytes each rather than the several hundred
 * a map of {@link Lease} objects would (two {@code Instant}s, a {@code ClientId}, a
 * {@code HardwareAddress}, a {@code String} and their arrays, plus map nodes).
 *
 * <p>Three hash chains over the slots answer the look-ups: by address (unique), by client id and
 * by hardware address (both many-to-one, doubly linked so that unlinking is O(1)). There are at
 * least half as many buckets as slots, so chains stay short.
 *
 * <p>Not thread-safe: the store guards it with its read-write lock.
 */
final class LeaseTable {

    private static final int NONE = -1;
    private static final int MIN_CAPACITY = 64;

    private int[] address;
    private int[] subnetId;
    private byte[] state;
    private long[] startSecond;
    private int[] startNano;
    private long[] expiresSecond;
    private int[] expiresNano;
    /** Null marks a free slot. */
    private byte[][] identity;

    private int[] addressNext;
    private int[] clientNext;
    private int[] clientPrev;
    private int[] hardwareNext;
    private int[] hardwarePrev;

    private int[] addressHeads;
    private int[] clientHeads;
    private int[] hardwareHeads;

    private int[] freeSlots = new int[16];
    private int freeCount;
    /** Slots [0, used) have been handed out at least once. */
    private int used;
    private int size;
    private long liveRecordBytes;

    LeaseTable(int expectedLeases) {
        allocateColumns(Math.max(MIN_CAPACITY, expectedLeases));
        rebuildChains();
    }

    int size() {
        return size;
    }

    /** Bytes a journal holding exactly the live leases would take: what compaction aims at. */
    long liveRecordBytes() {
        return liveRecordBytes;
    }

    /** An upper bound of slot numbers, for chunked iteration. */
    int slotLimit() {
        return used;
    }

    /** The slot of {@code addressBits}, or -1. */
    int slotOf(int addressBits) {
        for (int s = addressHeads[bucket(hashAddress(addressBits))]; s != NONE; s = addressNext[s]) {
            if (address[s] == addressBits) {
                return s;
            }
        }
        return NONE;
    }

    Lease lease(int slot) {
        return LeaseCodec.lease(address[slot], subnetId[slot], state[slot], startSecond[slot], startNano[slot],
                expiresSecond[slot], expiresNano[slot], identity[slot]);
    }

    LeaseRow row(int slot) {
        return new LeaseRow(address[slot], subnetId[slot], state[slot], startSecond[slot], startNano[slot],
                expiresSecond[slot], expiresNano[slot], identity[slot]);
    }

    /**
     * Whether the lease in {@code slot} belongs to a client other than the one in
     * {@code otherIdentity} and still holds its address at the given instant
     * ({@link Lease#holdsAddressAt}: active or declined, and {@code now} before its end).
     */
    boolean heldAgainst(int slot, byte[] otherIdentity, long nowSecond, int nowNano) {
        byte s = state[slot];
        if (s != LeaseCodec.ACTIVE && s != LeaseCodec.DECLINED) {
            return false;
        }
        boolean notYetOver = expiresSecond[slot] > nowSecond
                || (expiresSecond[slot] == nowSecond && expiresNano[slot] > nowNano);
        return notYetOver && !sameClient(identity[slot], otherIdentity);
    }

    void store(LeaseRow row) {
        store(row.address(), row.subnetId(), row.stateCode(), row.startSecond(), row.startNano(),
                row.expiresSecond(), row.expiresNano(), row.identity());
    }

    /** Replaces whatever is stored for the address; {@code id} is kept, not copied. */
    void store(int addressBits, int subnet, byte stateCode, long startSec, int startNs, long expiresSec,
            int expiresNs, byte[] id) {
        int slot = slotOf(addressBits);
        if (slot != NONE) {
            unlinkClient(slot);
            unlinkHardware(slot);
            liveRecordBytes -= LeaseCodec.putRecordBytes(identity[slot].length);
        } else {
            slot = allocateSlot();
            address[slot] = addressBits;
            int b = bucket(hashAddress(addressBits));
            addressNext[slot] = addressHeads[b];
            addressHeads[b] = slot;
            size++;
        }
        subnetId[slot] = subnet;
        state[slot] = stateCode;
        startSecond[slot] = startSec;
        startNano[slot] = startNs;
        expiresSecond[slot] = expiresSec;
        expiresNano[slot] = expiresNs;
        identity[slot] = id;
        linkClient(slot);
        linkHardware(slot);
        liveRecordBytes += LeaseCodec.putRecordBytes(id.length);
    }

    /** Removes the address's row; returns whether there was one. */
    boolean remove(int addressBits) {
        int b = bucket(hashAddress(addressBits));
        int previous = NONE;
        for (int s = addressHeads[b]; s != NONE; previous = s, s = addressNext[s]) {
            if (address[s] == addressBits) {
                if (previous == NONE) {
                    addressHeads[b] = addressNext[s];
                } else {
                    addressNext[previous] = addressNext[s];
                }
                unlinkClient(s);
                unlinkHardware(s);
                liveRecordBytes -= LeaseCodec.putRecordBytes(identity[s].length);
                identity[s] = null;
                releaseSlot(s);
                size--;
                return true;
            }
        }
        return false;
    }

    List<Lease> findByClient(byte[] clientId) {
        List<Lease> found = new ArrayList<>(2);
        for (int s = clientHeads[bucket(hashBytes(0, clientId, 0, clientId.length))]; s != NONE; s = clientNext[s]) {
            byte[] id = identity[s];
            int length = LeaseCodec.clientIdLength(id);
            if (Arrays.equals(id, 2, 2 + length, clientId, 0, clientId.length)) {
                found.add(lease(s));
            }
        }
        return found;
    }

    List<Lease> findByHardware(int htype, byte[] hardware) {
        List<Lease> found = new ArrayList<>(2);
        for (int s = hardwareHeads[bucket(hashBytes(htype, hardware, 0, hardware.length))]; s != NONE;
                s = hardwareNext[s]) {
            byte[] id = identity[s];
            int hw = LeaseCodec.hardwareOffset(id);
            int length = id[hw + 1] & 0xFF;
            if ((id[hw] & 0xFF) == htype && Arrays.equals(id, hw + 2, hw + 2 + length, hardware, 0, hardware.length)) {
                found.add(lease(s));
            }
        }
        return found;
    }

    /**
     * Active leases whose end is at or before now, at most {@code limit}. A scan of the primitive
     * columns: about a millisecond per million slots, cheap enough for a reclaimer that runs every
     * few seconds, and it needs no second index to keep up to date on every renewal.
     */
    List<Lease> findExpired(long nowSecond, int nowNano, int limit) {
        List<Lease> found = new ArrayList<>();
        for (int s = 0; s < used && found.size() < limit; s++) {
            if (state[s] == LeaseCodec.ACTIVE && identity[s] != null
                    && (expiresSecond[s] < nowSecond || (expiresSecond[s] == nowSecond && expiresNano[s] <= nowNano))) {
                found.add(lease(s));
            }
        }
        return found;
    }

    /** Leases of slots [from, from+count) to {@code action}; returns where to go on from. */
    int forEach(int from, int count, Consumer<Lease> action) {
        int s = from;
        for (; s < used && s < from + count; s++) {
            if (identity[s] != null) {
                action.accept(lease(s));
            }
        }
        return s;
    }

    /**
     * Writes put records for live slots from {@code from} on while they fit in {@code out};
     * returns the first slot not written, {@link #slotLimit()} when done.
     */
    int encodeSlots(int from, ByteBuffer out) {
        int s = from;
        for (; s < used; s++) {
            byte[] id = identity[s];
            if (id == null) {
                continue;
            }
            if (out.remaining() < LeaseCodec.putRecordBytes(id.length)) {
                return s;
            }
            LeaseCodec.writePut(out, address[s], subnetId[s], state[s], startSecond[s], startNano[s],
                    expiresSecond[s], expiresNano[s], id);
        }
        return s;
    }

    /** Whether the lease in {@code slot} belongs to the client in {@code otherIdentity}. */
    boolean sameClient(int slot, byte[] otherIdentity) {
        return sameClient(identity[slot], otherIdentity);
    }

    private static boolean sameClient(byte[] a, byte[] b) {
        int la = LeaseCodec.clientIdLength(a);
        int lb = LeaseCodec.clientIdLength(b);
        return Arrays.equals(a, 2, 2 + la, b, 2, 2 + lb);
    }

    private int clientBucket(byte[] id) {
        return bucket(hashBytes(0, id, 2, LeaseCodec.clientIdLength(id)));
    }

    private int hardwareBucket(byte[] id) {
        int hw = LeaseCodec.hardwareOffset(id);
        return bucket(hashBytes(id[hw] & 0xFF, id, hw + 2, id[hw + 1] & 0xFF));
    }

    private void linkClient(int slot) {
        int b = clientBucket(identity[slot]);
        int head = clientHeads[b];
        clientNext[slot] = head;
        clientPrev[slot] = NONE;
        if (head != NONE) {
            clientPrev[head] = slot;
        }
        clientHeads[b] = slot;
    }

    private void unlinkClient(int slot) {
        int prev = clientPrev[slot];
        int next = clientNext[slot];
        if (prev == NONE) {
            clientHeads[clientBucket(identity[slot])] = next;
        } else {
            clientNext[prev] = next;
        }
        if (next != NONE) {
            clientPrev[next] = prev;
        }
    }

    private void linkHardware(int slot) {
        int b = hardwareBucket(identity[slot]);
        int head = hardwareHeads[b];
        hardwareNext[slot] = head;
        hardwarePrev[slot] = NONE;
        if (head != NONE) {
            hardwarePrev[head] = slot;
        }
        hardwareHeads[b] = slot;
    }

    private void unlinkHardware(int slot) {
        int prev = hardwarePrev[slot];
        int next = hardwareNext[slot];
        if (prev == NONE) {
            hardwareHeads[hardwareBucket(identity[slot])] = next;
        } else {
            hardwareNext[prev] = next;
        }
        if (next != NONE) {
            hardwarePrev[next] = prev;
        }
    }

    private int allocateSlot() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (used == address.length) {
            grow();
        }
        return used++;
    }

    private void releaseSlot(int slot) {
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeCount++] = slot;
    }

    private void grow() {
        int capacity = address.length + (address.length >> 1);
        address = Arrays.copyOf(address, capacity);
        subnetId = Arrays.copyOf(subnetId, capacity);
        state = Arrays.copyOf(state, capacity);
        startSecond = Arrays.copyOf(startSecond, capacity);
        startNano = Arrays.copyOf(startNano, capacity);
        expiresSecond = Arrays.copyOf(expiresSecond, capacity);
        expiresNano = Arrays.copyOf(expiresNano, capacity);
        identity = Arrays.copyOf(identity, capacity);
        addressNext = Arrays.copyOf(addressNext, capacity);
        clientNext = Arrays.copyOf(clientNext, capacity);
        clientPrev = Arrays.copyOf(clientPrev, capacity);
        hardwareNext = Arrays.copyOf(hardwareNext, capacity);
        hardwarePrev = Arrays.copyOf(hardwarePrev, capacity);
        if (capacity >= 2 * addressHeads.length) {
            rebuildChains();
        }
    }

    private void allocateColumns(int capacity) {
        address = new int[capacity];
        subnetId = new int[capacity];
        state = new byte[capacity];
        startSecond = new long[capacity];
        startNano = new int[capacity];
        expiresSecond = new long[capacity];
        expiresNano = new int[capacity];
        identity = new byte[capacity][];
        addressNext = new int[capacity];
        clientNext = new int[capacity];
        clientPrev = new int[capacity];
        hardwareNext = new int[capacity];
        hardwarePrev = new int[capacity];
    }

    /**
     * Sizes the bucket arrays to between half the slot capacity and the capacity (chains of one
     * or two on average, 4 to 8 bytes per slot and chain) and relinks every live slot.
     */
    private void rebuildChains() {
        int buckets = Integer.highestOneBit(Math.max(MIN_CAPACITY, address.length));
        addressHeads = new int[buckets];
        clientHeads = new int[buckets];
        hardwareHeads = new int[buckets];
        Arrays.fill(addressHeads, NONE);
        Arrays.fill(clientHeads, NONE);
        Arrays.fill(hardwareHeads, NONE);
        for (int s = 0; s < used; s++) {
            if (identity[s] != null) {
                int b = bucket(hashAddress(address[s]));
                addressNext[s] = addressHeads[b];
                addressHeads[b] = s;
                linkClient(s);
                linkHardware(s);
            }
        }
    }

    private int bucket(int hash) {
        return hash & (addressHeads.length - 1);
    }

    private static int hashAddress(int bits) {
        return mix(bits);
    }

    /**
     * FNV-1a then {@link #mix}: client ids and MACs differ in their last bytes, which a
     * polynomial hash like {@code 31 * h + b} crowds into a few thousand values.
     */
    private static int hashBytes(int seed, byte[] bytes, int from, int length) {
        int h = 0x811C9DC5 ^ seed;
        int end = from + length;
        for (int i = from; i < end; i++) {
            h = (h ^ (bytes[i] & 0xFF)) * 0x01000193;
        }
        return mix(h);
    }

    /** Spreads the bits so that consecutive addresses and similar MACs land in distant buckets. */
    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
