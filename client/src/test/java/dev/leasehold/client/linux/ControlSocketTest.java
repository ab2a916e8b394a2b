package dev.leasehold.client.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ControlSocketTest {

    @Test
    void aRequestReachesTheQueueAndItsAnswerComesBack(@TempDir Path dir) throws Exception {
        BlockingQueue<ControlSocket.Request> queue = new LinkedBlockingQueue<>();
        Path path = ControlSocket.path(dir, "eth9", NetworkNamespace.UNKNOWN);
        try (ControlSocket socket = ControlSocket.open(path, queue)) {
            assertThat(Files.getPosixFilePermissions(path)).hasSize(2); // rw------- : root's only
            Thread answerer = Thread.ofVirtual().start(() -> {
                try {
                    ControlSocket.Request r = queue.poll(10, TimeUnit.SECONDS);
                    r.reply().complete("ok: " + r.verb() + " done");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(ControlSocket.send(path, "renew", Duration.ofSeconds(10))).isEqualTo("ok: renew done");
            answerer.join();
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void aSecondClientOnTheSameInterfaceIsRefusedAndAStaleSocketIsReplaced(@TempDir Path dir) throws Exception {
        Path path = ControlSocket.path(dir, "eth9", new NetworkNamespace(1, Optional.of("lab1")));
        assertThat(path.getFileName().toString()).isEqualTo("client-eth9-lab1.sock");
        try (ControlSocket first = ControlSocket.open(path, new LinkedBlockingQueue<>())) {
            assertThatThrownBy(() -> ControlSocket.open(path, new LinkedBlockingQueue<>()))
                    .isInstanceOf(ClientStartException.class).hasMessageContaining("already runs");
        }
        Files.writeString(path, "left by a killed client");
        try (ControlSocket again = ControlSocket.open(path, new LinkedBlockingQueue<>())) {
            assertThat(again.path()).isEqualTo(path);
        }
    }

    @Test
    void talkingToNoClientIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> ControlSocket.send(dir.resolve("client-eth9.sock"), "renew", Duration.ofSeconds(2)))
                .isInstanceOf(ClientStartException.class).hasMessageContaining("no client runs on this interface");
    }
}
