package dev.leasehold.config;

import static dev.leasehold.config.Configs.load;
import static dev.leasehold.config.Configs.problem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopLevelValuesTest {

    private static String withTop(String top) {
        return top + "\n" + Configs.MINIMAL_SUBNET;
    }

    @Test
    void subnetSelectionIsHonouredUnlessTurnedOff() {
        assertThat(Configs.load(withTop("")).subnetSelection()).isTrue();
        assertThat(Configs.load(withTop("subnet-selection: false")).subnetSelection()).isFalse();
        assertThat(problem(withTop("subnet-selection: ignore")).toString()).startsWith("test.yaml:1: subnet-selection: ");
    }

    @Test
    void relayRepliesArePacedOnlyWhenTurnedOn() {
        assertThat(Configs.load(withTop("")).relayReplyPacing()).isFalse();
        assertThat(Configs.load(withTop("relay-reply-pacing: true")).relayReplyPacing()).isTrue();
        assertThat(problem(withTop("relay-reply-pacing: sometimes")).toString())
                .startsWith("test.yaml:1: relay-reply-pacing: ");
    }

    @Test
    void portAboveTheUdpRangeIsRefused() {
        assertThat(problem(withTop("listen: {port: 65536}")).toString())
                .isEqualTo("test.yaml:1: listen.port: 65536 is out of range; expected 0-65535");
    }

    @Test
    void negativePortIsRefused() {
        assertThat(problem(withTop("listen: {port: -1}")).message()).isEqualTo("-1 is out of range; expected 0-65535");
    }

    @Test
    void portGivenAsTextIsRefused() {
        assertThat(problem(withTop("listen: {port: \"67\"}")).message())
                .isEqualTo("expected a whole number 0-65535, found the text '67'");
    }

    @Test
    void malformedListenAddressIsRefused() {
        assertThat(problem(withTop("listen: {address: localhost}")).message())
                .isEqualTo("not an IPv4 address: 'localhost'");
    }

    @Test
    void unknownDurabilityIsRefused() {
        assertThat(problem(withTop("durability: fsync")).message()).isEqualTo("'fsync' is not one of always, batch, none");
    }

    @Test
    void enumValuesAreLowerCaseOnly() {
        assertThat(problem(withTop("allocation: RANDOM")).message()).isEqualTo("'RANDOM' is not one of iterative, random");
    }

    @Test
    void unknownAllocationIsRefused() {
        assertThat(problem(withTop("allocation: sequential")).toString())
                .isEqualTo("test.yaml:1: allocation: 'sequential' is not one of iterative, random");
    }

    @Test
    void booleanGivenAsTextIsRefused() {
        assertThat(problem(withTop("authoritative: \"true\"")).message())
                .isEqualTo("expected true or false, found the text 'true'");
    }

    @Test
    void interfaceListedTwiceIsRefused() {
        assertThat(problem(withTop("interfaces: [eth1, eth1]")).toString())
                .isEqualTo("test.yaml:1: interfaces[1]: 'eth1' is listed twice");
    }

    @Test
    void wildcardInterfaceStandsAlone() {
        assertThat(problem(withTop("interfaces: ['*', eth1]")).message())
                .isEqualTo("'*' already means every interface; list either '*' or names");
        assertThat(load(withTop("interfaces: ['*']")).interfaces()).containsExactly("*");
    }

    @Test
    void overlongInterfaceNameIsRefused() {
        assertThat(problem(withTop("interfaces: [a-very-long-interface]")).message())
                .startsWith("'a-very-long-interface' is not an interface name");
    }

    @Test
    void emptyDataDirectoryIsRefused() {
        assertThat(problem(withTop("data-directory: \"\"")).message()).isEqualTo("must not be empty");
    }

    @Test
    void relativeDataDirectoryIsKeptAsWritten() {
        assertThat(load(withTop("data-directory: ./demo-data")).dataDirectory().toString()).isEqualTo("./demo-data");
    }

    @Test
    void scalarWhereAListBelongsIsRefused() {
        assertThat(problem(withTop("interfaces: eth1")).message()).isEqualTo("expected a list, found the text 'eth1'");
    }
}
