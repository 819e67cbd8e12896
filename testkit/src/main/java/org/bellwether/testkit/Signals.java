package org.bellwether.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sends POSIX signals by PID with {@code kill}, so tests can freeze (STOP), thaw (CONT) and crash (KILL) processes. */
public final class Signals {
    private Signals() {}

    public static void send(long pid, String signal) {
        sendAll(List.of(pid), signal);
    }

    /**
     * Sends one signal to several processes with a single {@code kill} call, so they are hit together: a machine
     * crash takes the agent and PostgreSQL down at the same instant, not one after the other.
     */
    public static void sendAll(List<Long> pids, String signal) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " " + pids, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
