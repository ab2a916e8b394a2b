package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over HTTPS from a PKCS#12 keystore made by the JDK's keytool. */
class TlsApiTest {

    private static final String PASSWORD = "changeit-test";

    @TempDir
    Path dir;

    @Test
    void apiServesHttpsFromThePkcs12Keystore() throws Exception {
        Path keystore = dir.resolve("api.p12");
        makeKeystore(keystore);
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        String tls = "control: {address: 127.0.0.1, port: 0, token-file: %s, tls: {keystore: %s, password-file: %s}}"
                .formatted(dir.resolve("token"), keystore, dir.resolve("password"));
        String config = RunningServer.config(dir, "").replaceFirst("control: \\{[^}]*}", tls.replace("\\", "\\\\"));

        try (RunningServer s = RunningServer.start(dir, config)) {
            assertThat(s.url()).startsWith("https://127.0.0.1:");
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create(s.url() + "/status"))
                    .header("Authorization", "Bearer " + RunningServer.TOKEN).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"writable\":true");

            HttpClient plain = HttpClient.newHttpClient();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
                            URI.create(s.url() + "/status")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()))
                    .as("a client that does not trust the certificate gets no answer").isInstanceOf(SSLHandshakeException.class);
        }
    }

    private static void makeKeystore(Path keystore) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "keytool not found at " + keytool);
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "api", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
