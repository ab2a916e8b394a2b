package dev.leasehold.config;

/** A value read from the file together with where it was, for checks that compare values. */
record Located<T>(T value, RawNode node, String path) {

    int line() {
        return node.line();
    }
}
