package dev.leasehold.engine;

import dev.leasehold.config.ClientClassConfig;
import java.util.ArrayList;
import java.util.List;

/** The names of the classes a request matched, as pools' class filters compare them. */
final class ClassNames {

    private ClassNames() {
    }

    static List<String> of(List<ClientClassConfig> classes) {
        if (classes.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(classes.size());
        for (ClientClassConfig c : classes) {
            out.add(c.name());
        }
        return out;
    }
}
