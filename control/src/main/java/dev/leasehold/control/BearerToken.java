package dev.leasehold.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;

/**
 * The secret every API call presents as {@code Authorization: Bearer <token>} (RFC 6750 §2.1).
 *
 * <p>Read once at start from the configured file. The server refuses to start the API when the
 * file is missing, empty, shorter than {@link #MIN_LENGTH} characters, or readable or writable
 * by group or others (where the file system has POSIX permissions): a token anyone on the host
 * can read protects nothing, and an API that silently runs without its token would be worse
 * than none. The same rule as ssh applies to private keys.
 */
final class BearerToken {

    static final int MIN_LENGTH = 16;
    private static final Set<PosixFilePermission> NOT_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private final byte[] token;

    private BearerToken(byte[] token) {
        this.token = token;
    }

    static BearerToken readFrom(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        String text;
        try {
            if (posix != null) {
                Set<PosixFilePermission> perms = posix.readAttributes().permissions();
                Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
                loose.addAll(perms);
                loose.retainAll(NOT_OTHERS);
                if (!loose.isEmpty()) {
                    throw new IOException("the control API token file " + file + " is accessible to group or others ("
                            + loose + "); chmod 600 it");
                }
            }
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new IOException("the control API token file " + file + " does not exist; create it with a random"
                    + " secret, e.g. 'openssl rand -hex 32 > " + file + " && chmod 600 " + file + "'");
        }
        if (text.length() < MIN_LENGTH || text.contains("\n") || text.contains(" ")) {
            throw new IOException("the control API token file " + file + " must hold one token of at least "
                    + MIN_LENGTH + " characters, without spaces");
        }
        return new BearerToken(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether an Authorization header value carries this token; constant time in the token's bytes. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given);
    }
}
