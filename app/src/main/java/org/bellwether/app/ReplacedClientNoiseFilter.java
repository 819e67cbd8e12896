package org.bellwether.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops one harmless event: when the etcd adapter replaces the client of an endpoint that stopped answering, jetcd
 * may still try to reschedule a watch retry on the old client's executor; gRPC then logs the rejected task with a
 * stack trace. Every other event, from those loggers too, passes.
 */
public final class ReplacedClientNoiseFilter extends Filter<ILoggingEvent> {
    @Override
    public FilterReply decide(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        boolean rejectedReschedule = thrown != null
                && thrown.getClassName().equals("java.util.concurrent.RejectedExecutionException")
                && event.getLoggerName().startsWith("io.grpc.internal.");
        return rejectedReschedule ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
