package dev.leasehold.engine;

/**
 * The free slots of a pool as a bitmap with summary levels: level 0 has one bit per slot
 * (set = free), each higher level one bit per word of the level below (set = that word has a
 * free bit). Finding the next free slot from any point looks at one word per level, so a /8
 * pool with millions of used addresses allocates as fast as a /24 (issue: "never a scan").
 *
 * <p>Not thread-safe: the engine guards it with its state lock.
 */
final class FreeSet {

    private final long size;
    /** levels[0] is the slot bitmap; levels[levels.length - 1] fits in one word. */
    private final long[][] levels;
    private long freeCount;

    /** A set of {@code size} slots, all free. */
    FreeSet(long size) {
        if (size <= 0 || size > (1L << 32)) {
            throw new IllegalArgumentException("a pool has 1 to 2^32 addresses: " + size);
        }
        this.size = size;
        int depth = 1;
        for (long words = wordsFor(size); words > 1; words = wordsFor(words)) {
            depth++;
        }
        levels = new long[depth][];
        long bits = size;
        for (int level = 0; level < depth; level++) {
            long words = wordsFor(bits);
            levels[level] = new long[(int) words];
            fillOnes(levels[level], bits);
            bits = words;
        }
        freeCount = size;
    }

    private static long wordsFor(long bits) {
        return (bits + 63) >>> 6;
    }

    private static void fillOnes(long[] words, long bits) {
        java.util.Arrays.fill(words, -1L);
        int tail = (int) (bits & 63);
        if (tail != 0) {
            words[words.length - 1] = (1L << tail) - 1;
        }
    }

    long size() {
        return size;
    }

    long freeCount() {
        return freeCount;
    }

    boolean isFree(long slot) {
        return (levels[0][(int) (slot >>> 6)] & (1L << slot)) != 0;
    }

    /** Marks {@code slot} used; answers whether it was free. */
    boolean take(long slot) {
        check(slot);
        int word = (int) (slot >>> 6);
        long before = levels[0][word];
        long after = before & ~(1L << slot);
        if (before == after) {
            return false;
        }
        levels[0][word] = after;
        freeCount--;
        // Clear the summary bits upward while a word becomes full.
        long index = word;
        for (int level = 1; level < levels.length && after == 0; level++) {
            int w = (int) (index >>> 6);
            after = levels[level][w] & ~(1L << index);
            levels[level][w] = after;
            index = w;
        }
        return true;
    }

    /** Marks {@code slot} free; answers whether it was used. */
    boolean release(long slot) {
        check(slot);
        int word = (int) (slot >>> 6);
        long before = levels[0][word];
        if ((before & (1L << slot)) != 0) {
            return false;
        }
        levels[0][word] = before | (1L << slot);
        freeCount++;
        long index = word;
        boolean wasEmpty = before == 0;
        for (int level = 1; level < levels.length && wasEmpty; level++) {
            int w = (int) (index >>> 6);
            long b = levels[level][w];
            wasEmpty = b == 0;
            levels[level][w] = b | (1L << index);
            index = w;
        }
        return true;
    }

    /** The first free slot at or after {@code from}, wrapping round once; -1 when none is free. */
    long nextFree(long from) {
        if (freeCount == 0) {
            return -1;
        }
        long found = nextFreeAtOrAfter(from < 0 || from >= size ? 0 : from);
        return found >= 0 ? found : nextFreeAtOrAfter(0);
    }

    private long nextFreeAtOrAfter(long from) {
        // Climb until a word holds a set bit at or after the position, then descend.
        long index = from;
        int level = 0;
        while (level < levels.length) {
            int w = (int) (index >>> 6);
            if (w >= levels[level].length) {
                return -1;
            }
            long bits = levels[level][w] & (-1L << index);
            if (bits != 0) {
                index = ((long) w << 6) + Long.numberOfTrailingZeros(bits);
                break;
            }
            index = (long) w + 1;
            level++;
            if (level < levels.length && (index >>> 6) >= levels[level].length) {
                return -1;
            }
        }
        if (level == levels.length) {
            return -1;
        }
        while (level > 0) {
            level--;
            long bits = levels[level][(int) index];
            index = (index << 6) + Long.numberOfTrailingZeros(bits);
        }
        return index;
    }

    private void check(long slot) {
        if (slot < 0 || slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " outside 0.." + (size - 1));
        }
    }
}
