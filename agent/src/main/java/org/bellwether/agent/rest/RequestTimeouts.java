package org.bellwether.agent.rest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deadline per connection, by what the connection is doing. A read timeout alone would not do: it restarts with
 * every byte, so a client sending one byte every few seconds would keep its connection for ever.
 *
 * <ul>
 *   <li>waiting for a request: {@code idleTimeout};
 *   <li>receiving one, from its first byte (also of a TLS handshake) until the whole request is read:
 *       {@code requestTimeout};
 *   <li>handling it: none (a restart answers once PostgreSQL is back), and the socket is not read meanwhile;
 *   <li>sending the response until the client has taken it: {@code requestTimeout} again.
 * </ul>
 *
 * <p>First in the pipeline, so it sees the bytes as they arrive, before TLS or HTTP decoding buffer them. The
 * exchange handler tells it where a request ends; every method runs on the connection's event loop.
 */
final class RequestTimeouts extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestTimeouts.class);

    private enum Phase {
        WAITING,
        RECEIVING,
        HANDLING,
        SENDING
    }

    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private ChannelHandlerContext ctx;
    /** Written on the connection's event loop; read by other connections' loops choosing one to evict. */
    private volatile Phase phase = Phase.WAITING;
    /** When the connection last began waiting for a request ({@link System#nanoTime()}). */
    private volatile long waitingSince = System.nanoTime();
    /** Bytes of a next (pipelined) request came while this one was handled: its clock starts when it is read. */
    private boolean nextRequestStarted;

    private ScheduledFuture<?> deadline;

    RequestTimeouts(ServerLimits limits) {
        this.requestTimeout = limits.requestTimeout();
        this.idleTimeout = limits.idleTimeout();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** The connection is ready for its (next) request. */
    void awaitRequest() {
        if (nextRequestStarted) {
            nextRequestStarted = false;
            enter(Phase.RECEIVING, requestTimeout);
        } else {
            enter(Phase.WAITING, idleTimeout);
        }
    }

    /** A whole request was read; it is now being handled. */
    void requestReceived() {
        enter(Phase.HANDLING, null);
    }

    /** The response is being written. */
    void sendingResponse() {
        enter(Phase.SENDING, requestTimeout);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            if (phase == Phase.WAITING) {
                enter(Phase.RECEIVING, requestTimeout);
            } else if (phase != Phase.RECEIVING) {
                nextRequestStarted = true;
            }
        }
        context.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancel();
        context.fireChannelInactive();
    }

    /** Waiting for a request, with nothing of one received: closing it loses nobody's request. */
    boolean isIdle() {
        return phase == Phase.WAITING;
    }

    long waitingSince() {
        return waitingSince;
    }

    private void enter(Phase next, Duration limit) {
        cancel();
        if (next == Phase.WAITING && phase != Phase.WAITING) {
            waitingSince = System.nanoTime();
        }
        phase = next;
        if (limit != null && ctx.channel().isOpen()) {
            deadline = ctx.executor().schedule(() -> expire(next, limit), limit.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expire(Phase expired, Duration limit) {
        if (phase != expired) {
            return;
        }
        LOG.debug(
                "closing the connection from {}: {} for more than {} ms",
                ctx.channel().remoteAddress(),
                switch (expired) {
                    case WAITING -> "idle";
                    case RECEIVING -> "request incomplete";
                    case SENDING -> "response not taken";
                    case HANDLING -> "handling";
                },
                limit.toMillis());
        ctx.close();
    }
}
