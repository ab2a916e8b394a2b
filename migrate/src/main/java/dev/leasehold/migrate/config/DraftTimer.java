package dev.leasehold.migrate.config;

/**
 * One lease timer in seconds, under its Leasehold key ({@code valid-lifetime}, {@code min-lifetime},
 * {@code max-lifetime}, {@code renew-timer}, {@code rebind-timer}).
 */
public record DraftTimer(String key, long seconds, int line, String describe) implements DraftElement {

    public static final String VALID = "valid-lifetime";
    public static final String MIN = "min-lifetime";
    public static final String MAX = "max-lifetime";
    public static final String RENEW = "renew-timer";
    public static final String REBIND = "rebind-timer";
}
