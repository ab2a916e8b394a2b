package dev.leasehold.ddns;

import dev.leasehold.config.DdnsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * Reads a TSIG key's secret (RFC 8945) from its file under the rule the control API's token
 * file follows: the file must exist, hold one base64 secret, and be neither readable nor
 * writable by group or others, since a secret anyone on the host can read signs anything.
 * The file may hold the bare secret or a BIND {@code key} clause ({@code secret "...";}).
 */
final class TsigKeyFile {

    private static final Set<PosixFilePermission> NOT_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
    private static final java.util.regex.Pattern BIND_SECRET = java.util.regex.Pattern.compile(
            "secret\\s+\"([^\"]+)\"\\s*;");

    private TsigKeyFile() {
    }

    static TSIG read(DdnsConfig.TsigKey key) throws IOException {
        var file = key.secretFile();
        String text;
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
                loose.addAll(posix.readAttributes().permissions());
                loose.retainAll(NOT_OTHERS);
                if (!loose.isEmpty()) {
                    throw new IOException("the TSIG key file " + file + " of key '" + key.name()
                            + "' is accessible to group or others (" + loose + "); chmod 600 it");
                }
            }
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new IOException("the TSIG key file " + file + " of key '" + key.name() + "' does not exist; create"
                    + " it with 'tsig-keygen -a " + key.algorithm() + " " + key.name() + "' and keep its secret");
        }
        var bind = BIND_SECRET.matcher(text);
        String secret = bind.find() ? bind.group(1) : text;
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secret.strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("the TSIG key file " + file + " of key '" + key.name()
                    + "' does not hold a base64 secret");
        }
        if (bytes.length == 0) {
            throw new IOException("the TSIG key file " + file + " of key '" + key.name() + "' is empty");
        }
        try {
            return new TSIG(algorithm(key.algorithm()), Name.fromString(key.name() + "."), bytes);
        } catch (TextParseException e) {
            throw new IOException("the TSIG key name '" + key.name() + "' is not a domain name");
        }
    }

    private static Name algorithm(String name) {
        return switch (name) {
            case "hmac-md5" -> TSIG.HMAC_MD5;
            case "hmac-sha1" -> TSIG.HMAC_SHA1;
            case "hmac-sha224" -> TSIG.HMAC_SHA224;
            case "hmac-sha256" -> TSIG.HMAC_SHA256;
            case "hmac-sha384" -> TSIG.HMAC_SHA384;
            case "hmac-sha512" -> TSIG.HMAC_SHA512;
            default -> throw new IllegalArgumentException("no TSIG algorithm " + name);
        };
    }
}
