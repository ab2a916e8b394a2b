package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP control API (key {@code control}); the API runs only when the file has this key.
 *
 * @param address the address the API listens on; loopback unless an operator widens it
 * @param port the TCP port; 0 lets the system choose (tests)
 * @param tokenFile the file holding the bearer token every call must present; it must exist,
 *        be non-empty and be readable by its owner only, or the server refuses to start
 * @param tls HTTPS from a PKCS#12 keystore when present, plain HTTP otherwise
 */
public record ControlConfig(Ipv4Address address, int port, Path tokenFile, Optional<TlsConfig> tls) {

    public ControlConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(tls, "tls");
    }

    /**
     * HTTPS for the control API.
     *
     * @param keystore a PKCS#12 file with the server's key and certificate chain
     * @param passwordFile a file whose first line is the keystore's password
     */
    public record TlsConfig(Path keystore, Path passwordFile) {
        public TlsConfig {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(passwordFile, "passwordFile");
        }
    }
}
