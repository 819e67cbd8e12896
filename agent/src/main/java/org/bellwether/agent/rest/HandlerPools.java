package org.bellwether.agent.rest;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads handlers run on, off the event loop because handlers may block (writes wait on the DCS and on the
 * loop). Reads and writes have pools of their own, so a slow write never delays a health check. Both queues are
 * bounded: when one is full the request is answered 503 at once, rather than memory growing or the event loop waiting.
 * Each connection has at most one request in a pool at a time.
 */
final class HandlerPools implements AutoCloseable {
    private final ThreadPoolExecutor reads;
    private final ThreadPoolExecutor writes;

    HandlerPools(ServerLimits limits) {
        this.reads = pool("rest-api-read-", limits.readThreads(), limits.readQueue());
        this.writes = pool("rest-api-write-", limits.writeThreads(), limits.writeQueue());
    }

    /** False when the pool's queue is full (or the server is closing): answer 503. */
    boolean submit(boolean readOnly, Runnable task) {
        try {
            (readOnly ? reads : writes).execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        reads.shutdown();
        writes.shutdown();
        try {
            if (!reads.awaitTermination(2, TimeUnit.SECONDS)) {
                reads.shutdownNow();
            }
            if (!writes.awaitTermination(1, TimeUnit.SECONDS)) {
                writes.shutdownNow();
            }
        } catch (InterruptedException e) {
            reads.shutdownNow();
            writes.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        return new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue),
                daemonThreads(name),
                new ThreadPoolExecutor.AbortPolicy());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
