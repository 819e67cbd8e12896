package org.bellwether.cli;

import java.util.Optional;

/**
 * patronictl's {@code watching}: run once, or with {@code -W}/{@code -w SEC} again and again every interval (measured
 * from the start of one round to the next) until interrupted, clearing the screen between rounds when asked.
 */
final class Watch {
    /** One round of output. */
    @FunctionalInterface
    interface Round {
        void run() throws CtlException;
    }

    private Watch() {}

    static void repeat(Terminal terminal, Optional<Double> interval, boolean clear, Round round) throws CtlException {
        repeat(terminal, interval, clear, round, Long.MAX_VALUE);
    }

    /** @param rounds how many rounds at most (tests) */
    static void repeat(Terminal terminal, Optional<Double> interval, boolean clear, Round round, long rounds)
            throws CtlException {
        if (interval.isPresent() && clear) {
            terminal.clear();
        }
        round.run();
        long done = 1;
        while (interval.isPresent() && done < rounds) {
            long start = System.nanoTime();
            sleep(interval.get(), start);
            if (clear) {
                terminal.clear();
            }
            round.run();
            done++;
        }
    }

    private static void sleep(double seconds, long since) throws CtlException {
        long until = since + (long) (seconds * 1e9);
        try {
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                Thread.sleep(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted");
        }
    }
}
