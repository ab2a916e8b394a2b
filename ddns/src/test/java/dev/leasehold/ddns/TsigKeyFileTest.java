package dev.leasehold.ddns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.config.DdnsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.TSIG;

/** TSIG secrets are read from files as strict as the control API's token file. */
class TsigKeyFileTest {

    @TempDir
    Path dir;

    private DdnsConfig.TsigKey key(String content, String perms) throws IOException {
        Path f = dir.resolve("k.secret");
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return new DdnsConfig.TsigKey("dhcp-key", "hmac-sha256", f);
    }

    @Test
    void aBareSecretAndABindKeyClauseAreBothRead() throws Exception {
        TSIG bare = TsigKeyFile.read(key("c2VjcmV0LXNlY3JldC1zZWNyZXQ=\n", "rw-------"));
        TSIG clause = TsigKeyFile.read(key("key \"dhcp-key\" {\n\talgorithm hmac-sha256;\n\tsecret \"c2VjcmV0LXNlY3JldC1zZWNyZXQ=\";\n};\n",
                "r--------"));

        assertThat(signature(bare).getAlgorithm()).isEqualTo(TSIG.HMAC_SHA256);
        assertThat(signature(clause).getName().toString()).isEqualTo("dhcp-key.");
    }

    /** The TSIG record the key puts on a fixed query at a fixed time. */
    private static org.xbill.DNS.TSIGRecord signature(TSIG key) throws Exception {
        org.xbill.DNS.Message m = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromString("example.com."), org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN));
        m.getHeader().setID(1);
        return key.generate(m, m.toWire(), org.xbill.DNS.Rcode.NOERROR, null);
    }

    @Test
    void aFileOthersCanReadIsRefused() throws Exception {
        DdnsConfig.TsigKey k = key("c2VjcmV0LXNlY3JldC1zZWNyZXQ=", "rw-r--r--");

        assertThatThrownBy(() -> TsigKeyFile.read(k)).isInstanceOf(IOException.class)
                .hasMessageContaining("accessible to group or others").hasMessageContaining("chmod 600");
    }

    @Test
    void aMissingFileSaysHowToMakeOne() {
        DdnsConfig.TsigKey k = new DdnsConfig.TsigKey("dhcp-key", "hmac-sha256", dir.resolve("none"));

        assertThatThrownBy(() -> TsigKeyFile.read(k)).isInstanceOf(IOException.class).hasMessageContaining("tsig-keygen");
    }

    @Test
    void aSecretThatIsNotBase64IsRefused() throws Exception {
        DdnsConfig.TsigKey k = key("not base64 !!", "rw-------");

        assertThatThrownBy(() -> TsigKeyFile.read(k)).isInstanceOf(IOException.class).hasMessageContaining("base64");
    }
}
