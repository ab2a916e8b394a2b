package dev.leasehold.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball for other distributions: unpacked anywhere, its launcher runs its own runtime. */
class TarballIT {

    private static final Path TARBALL = Path.of(System.getProperty("leasehold.tarball", "target/missing.tar.gz"));

    @TempDir
    Path dir;

    @Test
    void unpackedTarballValidatesItsStartingConfigurationWithItsOwnRuntime() throws Exception {
        Shell.run("tar", "-xzf", TARBALL.toString(), "-C", dir.toString()).expect(0, "tar");
        Path root;
        try (var entries = Files.list(dir)) {
            root = entries.findFirst().orElseThrow();
        }
        assertThat(root.getFileName().toString()).startsWith("leasehold-");
        assertThat(Files.isExecutable(root.resolve("bin/leasehold"))).isTrue();
        assertThat(Files.isExecutable(root.resolve("runtime/bin/java"))).isTrue();
        assertThat(root.resolve("share/server-jvm-options")).content().contains("-XX:+AlwaysPreTouch");
        assertThat(root.resolve("systemd/leasehold.service")).exists();
        // No JAVA_HOME and Debian's java 17 first on the PATH: the launcher uses its own runtime regardless.
        Shell.Result check = Shell.run(Duration.ofSeconds(60), "env", "PATH=/usr/bin:/bin", "JAVA_HOME=",
                root.resolve("bin/leasehold").toString(), "check-config", root.resolve("etc/leasehold.yaml").toString());
        assertThat(check.expect(0, "check-config from the tarball").output()).contains("valid, 1 subnet(s)");
        Shell.Result profile = Shell.run(Duration.ofSeconds(60), "env", "LEASEHOLD_JVM_PROFILE=huge",
                root.resolve("bin/leasehold").toString(), "serve", "--config", root.resolve("etc/leasehold.yaml").toString());
        assertThat(profile.code()).isEqualTo(2);
        assertThat(profile.output()).contains("LEASEHOLD_JVM_PROFILE is 'huge': it must be small or busy");
    }
}
