package dev.leasehold.config;

/** Builds the dotted paths that problems are reported under: {@code subnets[1].pools[0].end}. */
final class ConfigPath {
    private ConfigPath() {
    }

    static String key(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
