package dev.leasehold.config;

/** How the lease event log (logger {@code leasehold.events}) writes one event: key=value text or one JSON object. */
public enum EventLogFormat { TEXT, JSON }
