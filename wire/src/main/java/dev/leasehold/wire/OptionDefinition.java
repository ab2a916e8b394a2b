package dev.leasehold.wire;

import java.util.Objects;

/**
 * What an option code means: its configuration name, in the lower-case hyphenated style of ISC
 * Kea ({@code domain-name-servers}), and its value type (RFC 2132 §2 and later option RFCs).
 */
public record OptionDefinition(int code, String name, OptionType type) {

    public OptionDefinition {
        if (code < 1 || code > 254) {
            throw new IllegalArgumentException("option code must be 1-254: " + code);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an option name must not be blank");
        }
    }

    /** Configuration text to wire bytes for this option; the message names the option. */
    public byte[] parseText(String text) {
        try {
            return type.parseText(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " (option " + code + "): " + e.getMessage(), e);
        }
    }

    /** Wire bytes to text for this option, hex when they do not fit the type. */
    public String formatText(byte[] value) {
        return type.formatText(value);
    }
}
