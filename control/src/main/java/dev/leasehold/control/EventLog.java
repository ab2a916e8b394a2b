package dev.leasehold.control;

import dev.leasehold.config.EventLogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per lease event on the logger {@value #LOGGER_NAME}, so operators can route,
 * keep or drop the lines apart from the server's own log (a logback {@code <logger>} element).
 */
final class EventLog {

    static final String LOGGER_NAME = "leasehold.events";

    private final Logger log = LoggerFactory.getLogger(LOGGER_NAME);
    private final EventLogFormat format;

    EventLog(EventLogFormat format) {
        this.format = format;
    }

    void write(HistoryEvent event) {
        if (log.isInfoEnabled()) {
            log.info(EventFormat.line(format, event));
        }
    }
}
