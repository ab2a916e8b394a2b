package dev.leasehold.bench.fuzz;

import java.util.HexFormat;

/** A fuzz case that broke a rule: what, and the bytes, in hex, that did it. */
public final class FuzzFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    FuzzFailure(String rule, byte[] input) {
        super(rule + "\n  input (" + input.length + " bytes): " + HexFormat.of().formatHex(input));
    }

    /** {@code failure} again, prefixed with which case of which run it was. */
    FuzzFailure(String where, FuzzFailure failure) {
        super(where + "\n  " + failure.getMessage(), failure.getCause());
    }

    FuzzFailure(String rule, byte[] input, Throwable cause) {
        super(rule + ": " + cause + "\n  input (" + input.length + " bytes): " + HexFormat.of().formatHex(input), cause);
    }
}
