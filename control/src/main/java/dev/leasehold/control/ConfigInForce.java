package dev.leasehold.control;

import dev.leasehold.config.ServerConfig;
import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The configuration in force as the server loaded it (its text, SHA-256 and load time, taken
 * from the server's one read of the file), and whether the file on disk still says the same:
 * an edited but not yet reloaded file must not be reported as running.
 */
final class ConfigInForce {

    /**
     * @param diskSha256 the file's hash now, empty when it cannot be read
     */
    record Snapshot(ServerConfig config, String text, String sha256, Instant loadedAt, Optional<String> diskSha256) {

        /** Whether the file on disk differs from the running configuration (unreadable counts as differing). */
        boolean diskDiffers() {
            return !diskSha256.equals(Optional.of(sha256));
        }
    }

    private final LeaseholdServer server;
    /** The hash of the last running configuration seen, by identity, so it is computed once per load. */
    private volatile Hashed last;

    private record Hashed(LeaseholdServer.RunningConfig running, String sha256) {}

    ConfigInForce(LeaseholdServer server) {
        this.server = server;
    }

    Snapshot now() {
        LeaseholdServer.RunningConfig running = server.runningConfig();
        Hashed h = last;
        if (h == null || h.running() != running) {
            h = new Hashed(running, sha256(running.text()));
            last = h;
        }
        return new Snapshot(running.config(), running.text(), h.sha256(), running.loadedAt(), diskHash(server.configFile()));
    }

    private static Optional<String> diskHash(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return Optional.of(sha256(text.startsWith("\uFEFF") ? text.substring(1) : text));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
