package dev.leasehold.control;

import dev.leasehold.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The text and SHA-256 of the configuration in force. The server keeps only the parsed
 * configuration, so the file is read when a new configuration object is first seen (at start,
 * after every reload, SIGHUP included): an edit made between a reload and that read would be
 * attributed to the reload. API reloads read right after, which keeps that window tiny.
 */
final class ConfigInForce {

    record Snapshot(ServerConfig config, String text, String sha256, Instant seenAt) {}

    private final Path file;
    private volatile Snapshot current;

    ConfigInForce(Path file) {
        this.file = file;
    }

    Snapshot of(ServerConfig config, Instant now) {
        Snapshot s = current;
        if (s != null && s.config() == config) {
            return s;
        }
        synchronized (this) {
            s = current;
            if (s != null && s.config() == config) {
                return s;
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            current = new Snapshot(config, text, sha256(text), now);
            return current;
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
