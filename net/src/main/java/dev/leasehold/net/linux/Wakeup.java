package dev.leasehold.net.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An eventfd(2) that a thread blocked in poll(2) also watches, so that another thread can wake
 * it: to close the transport, or to make it poll a changed set of sockets.
 */
final class Wakeup implements AutoCloseable {

    private final int fd;

    private Wakeup(int fd) {
        this.fd = fd;
    }

    static Wakeup open() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int fd = Libc.eventfd(state, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
            if (fd < 0) {
                throw Errno.failure("eventfd", Libc.errno(state));
            }
            return new Wakeup(fd);
        }
    }

    int fd() {
        return fd;
    }

    /** Makes the eventfd readable; never blocks (the counter would have to reach 2^64 - 1 first). */
    void signal() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_LONG, 1L);
            Libc.write(Libc.newCallState(arena), fd, one, 8);
        }
    }

    /** Resets the counter; called by the woken thread with its own scratch memory. */
    void drain(MemorySegment state, MemorySegment eightBytes) {
        Libc.read(state, fd, eightBytes, 8);
    }

    @Override
    public void close() {
        UdpSockets.close(fd);
    }
}
