package dev.leasehold.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How one subnet names its clients in DNS and which updates the server takes on, in the terms of
 * Kea's {@code ddns-*} parameters: set at the top level, overridden per subnet. Whether updates
 * are sent at all also needs a {@code dhcp-ddns} section ({@link DdnsConfig}); without it
 * {@link #sendUpdates()} is false everywhere and the server still answers option 81 (RFC 4702
 * §4: with N=1, "the server will not update").
 *
 * @param sendUpdates Kea {@code ddns-send-updates} and-ed with {@code dhcp-ddns.enable-updates}
 * @param overrideNoUpdate Kea {@code ddns-override-no-update}: update even when the client set N
 * @param overrideClientUpdate Kea {@code ddns-override-client-update}: update the A record even
 *        when the client asked to do it (S=0)
 * @param replaceClientName Kea {@code ddns-replace-client-name}
 * @param generatedPrefix Kea {@code ddns-generated-prefix}: generated names are
 *        {@code <prefix>-10-0-0-7.<suffix>}
 * @param qualifyingSuffix Kea {@code ddns-qualifying-suffix}: completes partial names; empty for none
 * @param updateOnRenew Kea {@code ddns-update-on-renew}: update DNS at every renewal, not only
 *        when the name or address changed
 * @param conflictResolution Kea {@code ddns-conflict-resolution-mode} (RFC 4703)
 * @param ttl Kea {@code ddns-ttl}; empty for one third of the lease time (RFC 4702 §5)
 * @param hostnameCharSet Kea {@code hostname-char-set}: a regular expression of the characters
 *        a name may not keep; empty to keep every character
 * @param hostnameCharReplacement Kea {@code hostname-char-replacement}: what replaces them
 * @param forwardUpdates {@code ddns-forward-updates}: whether A (and DHCID) records are written
 * @param reverseUpdates {@code ddns-reverse-updates}: whether PTR records are written
 */
public record DdnsSettings(boolean sendUpdates, boolean overrideNoUpdate, boolean overrideClientUpdate,
                           ReplaceClientName replaceClientName, String generatedPrefix, String qualifyingSuffix,
                           boolean updateOnRenew, ConflictResolution conflictResolution, Optional<Duration> ttl,
                           String hostnameCharSet, String hostnameCharReplacement,
                           boolean forwardUpdates, boolean reverseUpdates) {

    /** Kea's defaults, with updates off (no {@code dhcp-ddns} section). */
    public static final DdnsSettings DEFAULTS = new DdnsSettings(false, false, false, ReplaceClientName.NEVER,
            "myhost", "", false, ConflictResolution.CHECK_WITH_DHCID, Optional.empty(), "[^A-Za-z0-9.-]", "",
            true, true);

    public DdnsSettings {
        Objects.requireNonNull(replaceClientName, "replaceClientName");
        Objects.requireNonNull(generatedPrefix, "generatedPrefix");
        Objects.requireNonNull(qualifyingSuffix, "qualifyingSuffix");
        Objects.requireNonNull(conflictResolution, "conflictResolution");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(hostnameCharSet, "hostnameCharSet");
        Objects.requireNonNull(hostnameCharReplacement, "hostnameCharReplacement");
    }

    /** Kea's default {@code hostname-char-set}, compiled once: most configurations keep it. */
    private static final Optional<Pattern> DEFAULT_INVALID = Optional.of(Pattern.compile("[^A-Za-z0-9.-]"));

    /** {@link #hostnameCharSet()} compiled; empty when nothing is replaced. */
    public Optional<Pattern> invalidCharacters() {
        if (hostnameCharSet.isEmpty()) {
            return Optional.empty();
        }
        return hostnameCharSet.equals(DEFAULT_INVALID.get().pattern()) ? DEFAULT_INVALID
                : Optional.of(Pattern.compile(hostnameCharSet));
    }

    /** Kea's {@code ddns-replace-client-name}: when the server names the client itself. */
    public enum ReplaceClientName {
        /** Use the client's name; generate one only when it sent an empty one. */
        NEVER,
        /** Always a generated name, whatever the client sent. */
        ALWAYS,
        /** A generated name in place of any the client sent; none when it sent none. */
        WHEN_PRESENT,
        /** The client's name when it sent one, else a generated name. */
        WHEN_NOT_PRESENT
    }

    /** Kea's {@code ddns-conflict-resolution-mode}: how a name another client holds is treated (RFC 4703 §5). */
    public enum ConflictResolution {
        /** RFC 4703: a name is added or replaced only where no DHCID or our own DHCID is. */
        CHECK_WITH_DHCID,
        /** DHCID records are written but not checked: the last client to ask takes the name. */
        NO_CHECK_WITH_DHCID,
        /** A name is replaced where any DHCID record is (several clients share one name). */
        CHECK_EXISTS_WITH_DHCID,
        /** No DHCID records at all: the last client takes the name. */
        NO_CHECK_WITHOUT_DHCID
    }
}
