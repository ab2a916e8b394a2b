package dev.leasehold.config;

import java.util.Optional;

/**
 * Turns one node into a value, reporting what is wrong with it instead of throwing, so that
 * reading goes on and every problem in the file is found in one pass.
 */
@FunctionalInterface
interface ValueReader<T> {

    /** The value, or empty after reporting at least one problem under {@code path}. */
    Optional<T> read(RawNode node, String path, Problems problems);
}
