package dev.leasehold.config;

import java.util.List;

/**
 * A named class of clients: those for which {@code match} holds. A class can restrict pools
 * ({@link PoolConfig#clientClasses()}) and adds options, which override subnet and global ones.
 */
public record ClientClassConfig(String name, ClassMatch match, List<OptionSetting> options) {
    public ClientClassConfig {
        options = List.copyOf(options);
    }
}
