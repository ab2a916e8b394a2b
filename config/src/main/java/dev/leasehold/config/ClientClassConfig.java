package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;
import java.util.List;

/**
 * A named class of clients: those for which {@code match} holds. A class can restrict pools
 * ({@link PoolConfig#clientClasses()}) and adds options, which override subnet and global ones.
 *
 * @param nextServer     {@code siaddr} of replies to members (RFC 2131 §2: "IP address of next
 *                       server to use in bootstrap"), where PXE firmware fetches its boot file
 *                       from; {@link Ipv4Address#ANY} to leave it 0
 * @param serverHostname the {@code sname} field (RFC 2131 §2), at most 63 ASCII bytes; empty for none
 * @param bootFileName   the {@code file} field (RFC 2131 §2), at most 127 ASCII bytes; empty for
 *                       none. Older PXE ROMs read only this, not option 67 (RFC 2132 §9.5)
 */
public record ClientClassConfig(String name, ClassMatch match, List<OptionSetting> options, Ipv4Address nextServer,
                                String serverHostname, String bootFileName) {
    public ClientClassConfig {
        options = List.copyOf(options);
    }

    /** A class that sets only options, leaving siaddr, sname and file alone. */
    public ClientClassConfig(String name, ClassMatch match, List<OptionSetting> options) {
        this(name, match, options, Ipv4Address.ANY, "", "");
    }
}
