package dev.leasehold.client.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkInfoTest {

    @Test
    void readsIndexMtuAndLoopbackFromIpLinkOutput() {
        assertThat(LinkInfo.parse("7: lhc1@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state UP mode DEFAULT"
                + " group default qlen 1000\\    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns br"))
                .contains(new LinkInfo(7, 1400, false));
        assertThat(LinkInfo.parse("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN"))
                .contains(new LinkInfo(1, 65536, true));
        assertThat(LinkInfo.parse("Device \"nosuch0\" does not exist.")).isEmpty();
    }
}
