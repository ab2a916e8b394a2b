package dev.leasehold.config;

import static dev.leasehold.config.Configs.load;
import static dev.leasehold.config.Configs.problem;
import static dev.leasehold.config.Configs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubnetRulesTest {

    @Test
    void overlappingSubnetsAreRefusedAtTheLaterOne() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/16
                  - id: 2
                    subnet: 10.0.5.0/24
                """).toString()).isEqualTo("test.yaml:5: subnets[1].subnet: 10.0.5.0/24 overlaps 10.0.0.0/16 of subnets[0]");
    }

    @Test
    void laterSupernetIsBlamedForEverySubnetItCovers() {
        assertThat(problems("""
                subnets:
                  - {id: 1, subnet: 10.0.5.0/24}
                  - {id: 2, subnet: 10.1.0.0/24}
                  - {id: 3, subnet: 10.0.0.0/8}
                  - {id: 4, subnet: 11.0.0.0/8}
                """)).extracting(ConfigProblem::toString).containsExactly(
                "test.yaml:4: subnets[2].subnet: 10.0.0.0/8 overlaps 10.0.5.0/24 of subnets[0]",
                "test.yaml:4: subnets[2].subnet: 10.0.0.0/8 overlaps 10.1.0.0/24 of subnets[1]");
    }

    @Test
    void emptySubnetListIsRefused() {
        assertThat(problem("subnets: []\n").toString())
                .isEqualTo("test.yaml:1: subnets: is empty: at least one subnet must be served");
    }

    @Test
    void adjacentSubnetsAreAccepted() {
        assertThat(load("""
                subnets:
                  - {id: 1, subnet: 10.0.0.0/24}
                  - {id: 2, subnet: 10.0.1.0/24}
                """).subnets()).hasSize(2);
    }

    @Test
    void duplicateSubnetIdIsRefused() {
        assertThat(problem("""
                subnets:
                  - {id: 4, subnet: 10.0.0.0/24}
                  - {id: 4, subnet: 10.0.1.0/24}
                """).toString()).startsWith("test.yaml:3: subnets[1].id: subnet id 4 is already used by subnets[0]");
    }

    @Test
    void subnetIdMustBePositive() {
        assertThat(problem("subnets: [{id: 0, subnet: 10.0.0.0/24}]\n").toString())
                .isEqualTo("test.yaml:1: subnets[0].id: 0 is out of range; expected 1-2147483647");
    }

    @Test
    void subnetWithoutIdIsRefused() {
        assertThat(problem("subnets:\n  - subnet: 10.0.0.0/24\n").toString())
                .isEqualTo("test.yaml:2: subnets[0].id: required, but missing");
    }

    @Test
    void prefixWithHostBitsIsRefused() {
        assertThat(problem("subnets: [{id: 1, subnet: 10.0.0.1/24}]\n").toString())
                .isEqualTo("test.yaml:1: subnets[0].subnet: 10.0.0.1/24 has host bits set");
    }

    @Test
    void malformedPrefixIsRefused() {
        assertThat(problem("subnets: [{id: 1, subnet: 10.0.0.0}]\n").message())
                .isEqualTo("not a prefix (address/length): '10.0.0.0'");
        assertThat(problem("subnets: [{id: 1, subnet: 10.0.0.0/33}]\n").message())
                .isEqualTo("prefix length must be 0-32: 33");
    }

    @Test
    void poolEndOutsideItsSubnetIsRefusedAtEnd() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools:
                      - start: 10.0.0.10
                        end: 10.0.1.20
                """).toString()).isEqualTo("test.yaml:6: subnets[0].pools[0].end: 10.0.1.20 is not inside the subnet 10.0.0.0/24");
    }

    @Test
    void poolRangeOutsideItsSubnetIsRefusedAtRange() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools: [{range: 10.0.1.10-10.0.1.20}]
                """).toString()).isEqualTo(
                "test.yaml:4: subnets[0].pools[0].range: the pool 10.0.1.10-10.0.1.20 is not inside the subnet 10.0.0.0/24");
    }

    @Test
    void poolEndingBeforeItStartsIsRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools: [{start: 10.0.0.20, end: 10.0.0.10}]
                """).toString()).isEqualTo(
                "test.yaml:4: subnets[0].pools[0].end: the pool ends at 10.0.0.10, before its start 10.0.0.20");
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools: [{range: 10.0.0.20 - 10.0.0.10}]
                """).message()).isEqualTo("range start 10.0.0.20 is after its end 10.0.0.10");
    }

    @Test
    void poolHoldingTheNetworkOrBroadcastAddressIsRefused() {
        assertThat(problems("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools: [{range: 10.0.0.0-10.0.0.255}]
                """)).extracting(ConfigProblem::message).containsExactly(
                "the pool includes 10.0.0.0, the network address of 10.0.0.0/24, which no client may be given",
                "the pool includes 10.0.0.255, the broadcast address of 10.0.0.0/24, which no client may be given");
    }

    @Test
    void poolOfAPointToPointSubnetMayUseBothAddresses() {
        // RFC 3021: a /31 has no network or broadcast address.
        assertThat(load("subnets: [{id: 1, subnet: 10.0.0.0/31, pools: [{range: 10.0.0.0-10.0.0.1}]}]\n")
                .subnets().getFirst().pools()).hasSize(1);
    }

    @Test
    void overlappingPoolsAreRefusedAtTheLaterPool() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools:
                      - {range: 10.0.0.100-10.0.0.199}
                      - {range: 10.0.0.10-10.0.0.20}
                      - {range: 10.0.0.150-10.0.0.160}
                """).toString()).isEqualTo(
                "test.yaml:7: subnets[0].pools[2]: the pool 10.0.0.150-10.0.0.160 overlaps pools[0] (10.0.0.100-10.0.0.199)");
    }

    @Test
    void poolGivenBothAsRangeAndStartIsRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools: [{range: 10.0.0.1-10.0.0.9, start: 10.0.0.1}]
                """).message()).isEqualTo("give either range or start and end, not both");
    }

    @Test
    void poolWithoutAddressesIsRefused() {
        assertThat(problem("subnets: [{id: 1, subnet: 10.0.0.0/24, pools: [{client-classes: []}]}]\n").toString())
                .isEqualTo("test.yaml:1: subnets[0].pools[0].range: required, but missing (or give start and end)");
    }

    @Test
    void exclusionOutsideEveryPoolIsRefused() {
        assertThat(problems("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools: [{range: 10.0.0.100-10.0.0.199}, {range: 10.0.0.200-10.0.0.220}]
                    exclusions:
                      - 10.0.0.150
                      - 10.0.0.195-10.0.0.205
                      - 10.0.0.50
                      - 10.0.0.215-10.0.0.230
                """)).extracting(ConfigProblem::toString).containsExactly(
                "test.yaml:8: subnets[0].exclusions[2]: 10.0.0.50 is outside every pool of the subnet;"
                        + " an exclusion only takes addresses out of pools",
                "test.yaml:9: subnets[0].exclusions[3]: 10.0.0.215-10.0.0.230 (from 10.0.0.221) is outside every pool"
                        + " of the subnet; an exclusion only takes addresses out of pools");
    }

    @Test
    void overlappingExclusionsAreRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools: [{range: 10.0.0.100-10.0.0.199}]
                    exclusions: [10.0.0.150-10.0.0.160, 10.0.0.155]
                """).toString()).isEqualTo(
                "test.yaml:5: subnets[0].exclusions[1]: 10.0.0.155-10.0.0.155 overlaps exclusions[0] (10.0.0.150-10.0.0.160)");
    }

    @Test
    void reservationOutsideItsSubnetIsRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations:
                      - hw-address: aa:bb:cc:dd:ee:ff
                        ip-address: 10.0.1.10
                """).toString()).isEqualTo("test.yaml:6: subnets[0].reservations[0].ip-address: 10.0.1.10 is not inside the subnet 10.0.0.0/24");
    }

    @Test
    void reservationOfTheBroadcastAddressIsRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations: [{hw-address: "aa:bb:cc:dd:ee:ff", ip-address: 10.0.0.255}]
                """).message()).isEqualTo("10.0.0.255 is the broadcast address of 10.0.0.0/24");
    }

    @Test
    void twoReservationsForOneAddressAreRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations:
                      - {hw-address: "aa:bb:cc:dd:ee:01", ip-address: 10.0.0.10}
                      - {hw-address: "aa:bb:cc:dd:ee:02", ip-address: 10.0.0.10}
                """).toString()).isEqualTo("test.yaml:6: subnets[0].reservations[1].ip-address: 10.0.0.10 is already"
                + " reserved by reservations[0] (hw-address aa:bb:cc:dd:ee:01)");
    }

    @Test
    void twoReservationsForOneMacAreRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations:
                      - {hw-address: "aa:bb:cc:dd:ee:01", ip-address: 10.0.0.10}
                      - {hw-address: "AA-BB-CC-DD-EE-01", ip-address: 10.0.0.11}
                """).toString()).isEqualTo("test.yaml:6: subnets[0].reservations[1].hw-address: hw-address"
                + " aa:bb:cc:dd:ee:01 already has a reservation in this subnet: reservations[0] (hw-address aa:bb:cc:dd:ee:01)");
    }

    @Test
    void clientIdOfTheFormOneThenMacClashesWithThatMacsReservation() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations:
                      - {hw-address: "aa:bb:cc:dd:ee:01", ip-address: 10.0.0.10}
                      - {client-id: "01:aa:bb:cc:dd:ee:01", ip-address: 10.0.0.11}
                """).message()).startsWith("client-id 01:aa:bb:cc:dd:ee:01 already has a reservation in this subnet:"
                + " reservations[0] (hw-address aa:bb:cc:dd:ee:01), which is the same client");
    }

    @Test
    void oneClientMayHaveReservationsInTwoSubnets() {
        assertThat(load("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations: [{hw-address: "aa:bb:cc:dd:ee:01", ip-address: 10.0.0.10}]
                  - id: 2
                    subnet: 10.0.1.0/24
                    reservations: [{hw-address: "aa:bb:cc:dd:ee:01", ip-address: 10.0.1.10}]
                """).subnets()).hasSize(2);
    }

    @Test
    void reservationInsideAPoolIsAllowed() {
        SubnetConfig subnet = load("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools: [{range: 10.0.0.100-10.0.0.199}]
                    reservations: [{hw-address: "aa:bb:cc:dd:ee:01", ip-address: 10.0.0.150}]
                """).subnets().getFirst();
        assertThat(subnet.reservations().getFirst().address().toString()).isEqualTo("10.0.0.150");
    }

    @Test
    void reservationNamingBothMacAndClientIdIsRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations: [{hw-address: "aa:bb:cc:dd:ee:01", client-id: "01:02", ip-address: 10.0.0.10}]
                """).message()).isEqualTo("give either hw-address or client-id, not both");
    }

    @Test
    void reservationNamingNoClientIsRefused() {
        assertThat(problem("subnets: [{id: 1, subnet: 10.0.0.0/24, reservations: [{ip-address: 10.0.0.10}]}]\n")
                .toString()).isEqualTo("test.yaml:1: subnets[0].reservations[0].hw-address: required, but missing (or give client-id)");
    }

    @Test
    void malformedMacIsRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations: [{hw-address: "aa:bb:cc:dd:ee", ip-address: 10.0.0.10}]
                """).toString()).isEqualTo("test.yaml:4: subnets[0].reservations[0].hw-address: not a MAC address: 'aa:bb:cc:dd:ee'");
    }

    @Test
    void malformedClientIdIsRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations: [{client-id: "01:zz", ip-address: 10.0.0.10}]
                """).message()).isEqualTo("not a client id (colon-separated hex bytes): '01:zz'");
    }

    @Test
    void malformedHostnameIsRefused() {
        assertThat(problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations: [{hw-address: "aa:bb:cc:dd:ee:01", ip-address: 10.0.0.10, hostname: "my printer"}]
                """).message()).startsWith("'my printer' is not a host name");
    }

    @Test
    void relayAddressOfTwoSubnetsIsRefused() {
        assertThat(problem("""
                subnets:
                  - {id: 1, subnet: 10.0.0.0/24, relay-addresses: [192.168.0.1]}
                  - {id: 2, subnet: 10.0.1.0/24, relay-addresses: [192.168.0.1]}
                """).toString()).isEqualTo("test.yaml:3: subnets[1].relay-addresses[0]: 192.168.0.1 is already a relay"
                + " address of subnets[0]; a giaddr must select one subnet");
    }

    @Test
    void relayAddressInsideAnotherSubnetIsRefused() {
        assertThat(problem("""
                subnets:
                  - {id: 1, subnet: 10.0.0.0/24, relay-addresses: [10.0.1.1]}
                  - {id: 2, subnet: 10.0.1.0/24}
                """).toString()).isEqualTo("test.yaml:2: subnets[0].relay-addresses[0]: 10.0.1.1 lies inside"
                + " 10.0.1.0/24 of subnets[1], so a giaddr of 10.0.1.1 would select both subnets");
    }

    @Test
    void subnetInterfaceThatTheServerDoesNotServeIsRefused() {
        assertThat(problem("""
                interfaces: [eth1]
                subnets: [{id: 1, subnet: 10.0.0.0/24, interface: eth2}]
                """).toString()).isEqualTo("test.yaml:2: subnets[0].interface: the server does not listen on 'eth2';"
                + " add it to interfaces (eth1)");
    }

    @Test
    void poolReferringToAnUndefinedClassIsRefused() {
        assertThat(problem("""
                client-classes:
                  - {name: voip, match: {vendor-class-prefix: Polycom}}
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools: [{range: 10.0.0.100-10.0.0.199, client-classes: [vooip]}]
                """).toString()).isEqualTo("test.yaml:6: subnets[0].pools[0].client-classes[0]: no client class named"
                + " 'vooip' is defined in client-classes (did you mean 'voip'?)");
    }

    @Test
    void emptySubnetListsMayBeLeftBlank() {
        // An operator comments out every reservation; the key left behind reads as "none".
        SubnetConfig subnet = load("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    reservations:
                    exclusions:
                """).subnets().getFirst();
        assertThat(subnet.reservations()).isEmpty();
        assertThat(subnet.exclusions()).isEmpty();
    }
}
