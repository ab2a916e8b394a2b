package dev.leasehold.engine;

/** Host names as the engine stores and reports them. */
final class HostNames {

    private HostNames() {
    }

    /** Host names end up in logs and the API: keep printable ASCII only, at most 255 characters. */
    static String sanitize(String hostname) {
        StringBuilder b = new StringBuilder(Math.min(hostname.length(), 255));
        for (int i = 0; i < hostname.length() && b.length() < 255; i++) {
            char c = hostname.charAt(i);
            if (c > 0x20 && c < 0x7F) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
