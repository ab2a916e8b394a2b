package dev.leasehold.net.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls the JDK does not offer for sockets (socket(2), setsockopt(2), bind(2),
 * recvmmsg(2), sendto(2), poll(2), eventfd(2)), bound through the FFM linker. Every call that can
 * fail captures {@code errno} into a caller-supplied segment ({@link #newCallState}), so that a
 * failure can be reported with its cause and no other thread's call can overwrite it.
 *
 * <p>The wrappers return the raw C result; callers check for {@code -1} and read {@link #errno}.
 * Constants are the Linux values (the same on x86-64 and arm64).
 */
@SuppressWarnings("restricted") // binding C functions is what this class is for; the JVM flag enables it
final class Libc {

    // socket(2) domains, types and protocols
    static final int AF_INET = 2;
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_UDP = 17;
    /** Ethertype of IPv4 (RFC 894), host order; sockaddr_ll wants it big-endian. */
    static final int ETH_P_IP = 0x0800;

    // setsockopt(2) levels and names
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_BROADCAST = 6;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_BINDTODEVICE = 25;
    /** SO_SNDBUF / SO_RCVBUF without the net.core.[rw]mem_max cap; needs CAP_NET_ADMIN. */
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    /** Per datagram, the kernel's receive time as a struct timespec (cmsg type SCM_TIMESTAMPNS = 35). */
    static final int SO_TIMESTAMPNS = 35;
    /** Per datagram, how many datagrams the socket has dropped so far for a full queue (a __u32). */
    static final int SO_RXQ_OVFL = 40;
    static final int IP_PKTINFO = 8;
    static final int SOL_RAW = 255;
    static final int ICMP_FILTER = 1;

    // flags
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLNVAL = 0x20;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    // errno values that the callers treat specially
    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EADDRINUSE = 98;

    /** Interface names are at most 15 characters plus the terminating NUL (IFNAMSIZ). */
    static final int IFNAMSIZ = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = errnoCall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SETSOCKOPT =
            errnoCall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle GETSOCKOPT =
            errnoCall("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR));
    private static final MethodHandle BIND = errnoCall("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle RECVMMSG =
            errnoCall("recvmmsg", FunctionDescriptor.of(INT, INT, PTR, INT, INT, PTR));
    private static final MethodHandle RECVFROM =
            errnoCall("recvfrom", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, PTR));
    private static final MethodHandle SENDTO =
            errnoCall("sendto", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, INT));
    private static final MethodHandle POLL = errnoCall("poll", FunctionDescriptor.of(INT, PTR, LONG, INT));
    private static final MethodHandle EVENTFD = errnoCall("eventfd", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle READ = errnoCall("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle WRITE = errnoCall("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle IF_NAMETOINDEX =
            errnoCall("if_nametoindex", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle STRERROR =
            LINKER.downcallHandle(LIBC.findOrThrow("strerror"), FunctionDescriptor.of(PTR, INT));

    private Libc() {
    }

    private static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), descriptor, CAPTURE_ERRNO);
    }

    /** A segment to receive {@code errno}; one per thread of use (it is written by every call). */
    static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** strerror(3): the C library's text for an errno value ("Address already in use"). */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            // glibc returns a pointer into a static table (or a thread-local buffer for unknown values).
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new AssertionError("strerror failed", t);
        }
    }

    static int socket(MemorySegment state, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(state, domain, type, protocol);
        } catch (Throwable t) {
            throw linkageFailure("socket", t);
        }
    }

    static int setsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, length);
        } catch (Throwable t) {
            throw linkageFailure("setsockopt", t);
        }
    }

    /** getsockopt(2): {@code length} is an in-out socklen_t. */
    static int getsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(state, fd, level, name, value, length);
        } catch (Throwable t) {
            throw linkageFailure("getsockopt", t);
        }
    }

    static int bind(MemorySegment state, int fd, MemorySegment address, int length) {
        try {
            return (int) BIND.invokeExact(state, fd, address, length);
        } catch (Throwable t) {
            throw linkageFailure("bind", t);
        }
    }

    /** recvmmsg(2) without a timeout: up to {@code vlen} datagrams into the {@code struct mmsghdr} array. */
    static int recvmmsg(MemorySegment state, int fd, MemorySegment mmsghdrs, int vlen, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(state, fd, mmsghdrs, vlen, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw linkageFailure("recvmmsg", t);
        }
    }

    static long recvfrom(MemorySegment state, int fd, MemorySegment buffer, long length, int flags,
                         MemorySegment address, MemorySegment addressLength) {
        try {
            return (long) RECVFROM.invokeExact(state, fd, buffer, length, flags, address, addressLength);
        } catch (Throwable t) {
            throw linkageFailure("recvfrom", t);
        }
    }

    static long sendto(MemorySegment state, int fd, MemorySegment buffer, long length, int flags,
                       MemorySegment address, int addressLength) {
        try {
            return (long) SENDTO.invokeExact(state, fd, buffer, length, flags, address, addressLength);
        } catch (Throwable t) {
            throw linkageFailure("sendto", t);
        }
    }

    static int poll(MemorySegment state, MemorySegment pollfds, long count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(state, pollfds, count, timeoutMillis);
        } catch (Throwable t) {
            throw linkageFailure("poll", t);
        }
    }

    static int eventfd(MemorySegment state, int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(state, initial, flags);
        } catch (Throwable t) {
            throw linkageFailure("eventfd", t);
        }
    }

    static long read(MemorySegment state, int fd, MemorySegment buffer, long length) {
        try {
            return (long) READ.invokeExact(state, fd, buffer, length);
        } catch (Throwable t) {
            throw linkageFailure("read", t);
        }
    }

    static long write(MemorySegment state, int fd, MemorySegment buffer, long length) {
        try {
            return (long) WRITE.invokeExact(state, fd, buffer, length);
        } catch (Throwable t) {
            throw linkageFailure("write", t);
        }
    }

    static int close(MemorySegment state, int fd) {
        try {
            return (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw linkageFailure("close", t);
        }
    }

    /** if_nametoindex(3): the interface's index, or 0 (errno ENODEV) when there is none by that name. */
    static int ifNameToIndex(MemorySegment state, MemorySegment name) {
        try {
            return (int) IF_NAMETOINDEX.invokeExact(state, name);
        } catch (Throwable t) {
            throw linkageFailure("if_nametoindex", t);
        }
    }

    /** invokeExact only throws what the C function cannot: a signature mismatch, which is a bug here. */
    private static AssertionError linkageFailure(String function, Throwable t) {
        return new AssertionError("native call " + function + " failed to link", t);
    }
}
