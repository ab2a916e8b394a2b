package dev.leasehold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the demo walks the whole lifecycle and says so. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoShowsEveryStepOfTheLifecycle() throws Exception {
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/demo.yaml");
        Path config = dir.resolve("demo.yaml");
        Files.writeString(config, Files.readString(example)
                .replace("port: 6767", "port: 0")
                .replace("./demo-data", dir.resolve("data").toString()));

        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run("demo", "--config", config.toString());
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(code).as(text).isZero();
        assertThat(text)
                .contains("DHCPDISCOVER -> DHCPOFFER")
                .contains("host name printer")
                .contains("DHCPDECLINE")
                .contains("(RENEWING, ciaddr")
                .contains("-> ACK 10.99.0.")
                .contains("-> NAK")
                .contains("back (affinity after expiry)")
                .containsPattern("RELEASED")
                .containsPattern("DECLINED");
    }
}
