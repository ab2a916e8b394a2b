package dev.leasehold.net.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * One classic BPF instruction, {@code struct sock_filter} (linux/filter.h: u16 code, u8 jt, u8 jf,
 * u32 k), for a socket filter attached with SO_ATTACH_FILTER (socket(7)). The kernel runs the
 * program on every frame before queueing it, so a packet socket wakes us only for what we want.
 *
 * @param code the opcode (class | size | mode, see bpf(4) and filter.h)
 * @param jt   instructions to skip when a jump's condition holds
 * @param jf   instructions to skip when it does not
 * @param k    the constant operand
 */
public record BpfInstruction(int code, int jt, int jf, int k) {

    static final int BPF_LD = 0x00;
    static final int BPF_LDX = 0x01;
    static final int BPF_JMP = 0x05;
    static final int BPF_RET = 0x06;
    static final int BPF_W = 0x00;
    static final int BPF_H = 0x08;
    static final int BPF_B = 0x10;
    static final int BPF_ABS = 0x20;
    static final int BPF_IND = 0x40;
    static final int BPF_MSH = 0xa0;
    static final int BPF_JEQ = 0x10;
    static final int BPF_JSET = 0x40;
    static final int BPF_K = 0x00;

    /** Bytes per instruction in {@code struct sock_filter}. */
    static final int SIZE = 8;

    public BpfInstruction {
        if (code < 0 || code > 0xFFFF || jt < 0 || jt > 0xFF || jf < 0 || jf > 0xFF) {
            throw new IllegalArgumentException("code is 16 bits, jt and jf 8 bits each");
        }
    }

    /**
     * Accepts IPv4 datagrams that are UDP, not a fragment (only a whole datagram holds the UDP
     * header), and addressed to UDP port {@code port}; drops everything else. The program reads
     * from the IPv4 header at offset 0, which is where a SOCK_DGRAM packet socket's data starts
     * (packet(7): the link-layer header is already removed). The same program as busybox udhcpc's.
     */
    public static List<BpfInstruction> udpToPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("a UDP port is 0-65535: " + port);
        }
        return List.of(
                new BpfInstruction(BPF_LD | BPF_B | BPF_ABS, 0, 0, 9),          // A = IPv4 protocol
                new BpfInstruction(BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 17),        // UDP? else drop
                new BpfInstruction(BPF_LD | BPF_H | BPF_ABS, 0, 0, 6),          // A = flags + fragment offset
                new BpfInstruction(BPF_JMP | BPF_JSET | BPF_K, 4, 0, 0x1fff),   // a later fragment: drop
                new BpfInstruction(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0),         // X = IPv4 header length (4 * IHL)
                new BpfInstruction(BPF_LD | BPF_H | BPF_IND, 0, 0, 2),          // A = UDP destination port
                new BpfInstruction(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, port),      // ours? accept : drop
                new BpfInstruction(BPF_RET | BPF_K, 0, 0, 0x7fffffff),          // accept the whole frame
                new BpfInstruction(BPF_RET | BPF_K, 0, 0, 0));                  // drop
    }

    /** Writes {@code program} as an array of struct sock_filter into {@code target}. */
    static void write(List<BpfInstruction> program, MemorySegment target) {
        for (int i = 0; i < program.size(); i++) {
            BpfInstruction in = program.get(i);
            long at = (long) i * SIZE;
            target.set(ValueLayout.JAVA_SHORT, at, (short) in.code());
            target.set(ValueLayout.JAVA_BYTE, at + 2, (byte) in.jt());
            target.set(ValueLayout.JAVA_BYTE, at + 3, (byte) in.jf());
            target.set(ValueLayout.JAVA_INT, at + 4, in.k());
        }
    }
}
