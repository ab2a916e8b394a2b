package dev.leasehold.net.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void describesWithStrerrorTextAndSymbolicName() {
        assertThat(Errno.describe(98)).isEqualTo("Address already in use (EADDRINUSE)");
        assertThat(Errno.describe(13)).isEqualTo("Permission denied (EACCES)");
        assertThat(Errno.describe(101)).isEqualTo("Network is unreachable (ENETUNREACH)");
    }

    @Test
    void unlistedErrnoStillGetsTheLibraryText() {
        assertThat(Errno.describe(71)).isEqualTo("Protocol error (errno 71)");
    }

    @Test
    void portInUseNamesTheInterfaceAndWhoMightHoldIt() {
        ErrnoException e = Errno.failure("interface eth1: bind(0.0.0.0:67)", 98, Errno::bindFix);

        assertThat(e.errno()).isEqualTo(98);
        assertThat(e.errnoName()).isEqualTo("EADDRINUSE");
        assertThat(e.getMessage())
                .startsWith("interface eth1: bind(0.0.0.0:67): Address already in use (EADDRINUSE); ")
                .contains("another DHCP server or relay");
    }

    @Test
    void bindPermissionFailureNamesTheCapability() {
        assertThat(Errno.failure("interface eth1: bind(0.0.0.0:67)", 13, Errno::bindFix).getMessage())
                .contains("Permission denied (EACCES)").contains("CAP_NET_BIND_SERVICE").contains("setcap");
    }

    @Test
    void rawSocketPermissionFailureNamesCapNetRaw() {
        assertThat(Errno.failure("socket(AF_PACKET)", 1, Errno.rawFix(1)).getMessage())
                .contains("Operation not permitted (EPERM)").contains("CAP_NET_RAW");
    }

    @Test
    void failureWithoutAFixHasNoTrailingAdvice() {
        assertThat(Errno.failure("interface eth1: bind(0.0.0.0:67)", 22, Errno::bindFix).getMessage())
                .isEqualTo("interface eth1: bind(0.0.0.0:67): Invalid argument (EINVAL)");
    }
}
