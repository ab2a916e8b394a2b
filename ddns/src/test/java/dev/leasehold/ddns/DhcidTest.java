package dev.leasehold.ddns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The DHCID RDATA against the examples of RFC 4701 §3.6. */
class DhcidTest {

    private static String dhcid(String identifierHex, String fqdn) throws Exception {
        return Base64.getEncoder().encodeToString(Dhcid.rdata(HexFormat.of().parseHex(identifierHex), Name.fromString(fqdn)));
    }

    @Test
    void linkLayerAddressExampleOfSection363() throws Exception {
        // type 0x0000, htype 1, chaddr 01:02:03:04:05:06
        assertThat(dhcid("0000" + "01" + "010203040506", "client.example.com."))
                .isEqualTo("AAABxLmlskllE0MVjd57zHcWmEH3pCQ6VytcKD//7es/deY=");
    }

    @Test
    void clientIdentifierExampleOfSection362() throws Exception {
        // type 0x0001, option 61 = 01:07:08:09:0a:0b:0c
        assertThat(dhcid("0001" + "01070809" + "0a0b0c", "chi.example.com."))
                .isEqualTo("AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No=");
    }

    @Test
    void theNameIsHashedInLowerCase() throws Exception {
        assertThat(dhcid("000001010203040506", "Client.EXAMPLE.com."))
                .isEqualTo(dhcid("000001010203040506", "client.example.com."));
    }

    @Test
    void anIdentifierWithoutDataIsRefused() {
        assertThatThrownBy(() -> Dhcid.rdata(new byte[] {0, 1}, Name.fromConstantString("a.example.")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
