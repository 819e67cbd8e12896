package org.bellwether.agent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the loop sleep until its next cycle is due or something worth a look happened (a DCS watch event, a finished
 * operation, an operator request). Wake-ups only shorten the sleep; nothing acts from the waking thread.
 */
public final class Waker {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean pending;

    public void wake() {
        lock.lock();
        try {
            pending = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sleeps up to {@code timeout}; returns early (and clears the flag) if woken meanwhile or before. */
    public void await(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!pending && remaining > 0) {
                remaining = woken.awaitNanos(remaining);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }

    /** Sleeps exactly {@code timeout} unless woken; used where a short pause is wanted, bounded. */
    public void pause(Duration timeout) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(Math.max(0, timeout.toNanos()));
    }
}
