package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.MessageType;
import org.junit.jupiter.api.Test;

class ReplyTimerTest {

    /**
     * A minimal BOOTP message: 236-byte fixed header (RFC 2131 §2) with xid at 4-7 and chaddr at
     * 28-43, the magic cookie at 236-239, then option 53 (message type) and END.
     */
    private static byte[] message(int xid, int macLow, int type) {
        byte[] p = new byte[244];
        p[0] = 1;                      // op
        p[1] = 1;                      // htype Ethernet
        p[2] = 6;                      // hlen
        p[4] = (byte) (xid >>> 24);    // xid
        p[5] = (byte) (xid >>> 16);
        p[6] = (byte) (xid >>> 8);
        p[7] = (byte) xid;
        p[28] = 2;                     // chaddr 02:00:<macLow as 4 bytes>
        p[30] = (byte) (macLow >>> 24);
        p[31] = (byte) (macLow >>> 16);
        p[32] = (byte) (macLow >>> 8);
        p[33] = (byte) macLow;
        p[236] = 99;                   // magic cookie 99.130.83.99
        p[237] = (byte) 130;
        p[238] = 83;
        p[239] = 99;
        p[240] = 53;                   // option 53, length 1, the type
        p[241] = 1;
        p[242] = (byte) type;
        p[243] = (byte) 255;           // END
        return p;
    }

    @Test
    void replyIsTimedFromItsRequestByXidAndChaddr() {
        ReplyTimer t = new ReplyTimer();
        t.received(message(7, 1, 1), 244, 1_000_000);
        t.received(message(7, 2, 1), 244, 2_000_000);

        t.sent(message(7, 2, 2), 244, 2_300_000);   // OFFER to the second client: 0.3 ms
        t.sent(message(7, 1, 5), 244, 6_000_000);   // ACK to the first: 5 ms

        Histogram.Snapshot offer = t.histograms().get(MessageType.OFFER).snapshot();
        Histogram.Snapshot ack = t.histograms().get(MessageType.ACK).snapshot();
        assertThat(offer.count()).isEqualTo(1);
        assertThat(offer.sum()).isEqualTo(0.0003, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ack.count()).isEqualTo(1);
        assertThat(ack.sum()).isEqualTo(0.005, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.pendingCount()).isZero();
    }

    @Test
    void replyWithoutRequestAndTruncatedPacketsAreIgnored() {
        ReplyTimer t = new ReplyTimer();
        t.sent(message(9, 1, 5), 244, 1_000);
        t.received(message(9, 1, 1), 100, 1_000);

        assertThat(t.histograms().get(MessageType.ACK).snapshot().count()).isZero();
        assertThat(t.pendingCount()).isZero();
    }

    @Test
    void requestsThatGetNoReplyAreForgottenOnceOld() {
        ReplyTimer t = new ReplyTimer();
        for (int i = 0; i <= 50_000; i++) {
            t.received(message(i, i, 1), 244, 0);
        }
        t.received(message(-1, -1, 1), 244, 31_000_000_000L);

        assertThat(t.pendingCount()).as("old entries swept once the map grew").isEqualTo(1);
    }

    @Test
    void aFloodOfUnansweredRequestsStopsAtTheCap() {
        ReplyTimer t = new ReplyTimer();
        for (int i = 0; i < 250_000; i++) {
            t.received(message(i, i, 1), 244, i); // all within a second: nothing is old enough to sweep
        }

        assertThat(t.pendingCount()).isBetween(200_000, 200_001);
    }
}
