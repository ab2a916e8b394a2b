package dev.leasehold.lease.journal;

/**
 * A lease in the shape the index and the journal keep it: numbers instead of objects, and the
 * variable-length fields packed into one array ({@link LeaseCodec} describes its layout). Used
 * to carry one row in and out of the {@link LeaseTable}, for instance to undo a failed write.
 */
record LeaseRow(
        int address,
        int subnetId,
        byte stateCode,
        long startSecond,
        int startNano,
        long expiresSecond,
        int expiresNano,
        byte[] identity) {}
