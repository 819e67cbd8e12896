package org.bellwether.agent.watchdog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code watchdog.driver: testing}, Patroni's test harness device: a file or named pipe that receives what a Linux
 * device would, with the timeout ioctl written as {@code Ctimeout=<seconds>\n}: {@code 1} per keepalive, {@code V}
 * on the magic close. Lets tests watch the watchdog's life on machines without one.
 */
public final class TestingWatchdogDevice implements WatchdogDevice {
    private final Path device;
    private OutputStream out;
    private int timeout = 60;

    public TestingWatchdogDevice(Path device) {
        this.device = device;
    }

    @Override
    public boolean usable() {
        return Files.exists(device) && Files.isWritable(device);
    }

    @Override
    public void open() throws IOException {
        out = Files.newOutputStream(device, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public boolean isOpen() {
        return out != null;
    }

    @Override
    public void setTimeout(int seconds) throws IOException {
        write("Ctimeout=" + seconds + "\n");
        timeout = seconds;
    }

    @Override
    public int timeout() {
        return timeout;
    }

    @Override
    public void keepalive() throws IOException {
        write("1");
    }

    @Override
    public void close() throws IOException {
        if (out == null) {
            return;
        }
        try {
            write("V");
        } finally {
            out.close();
            out = null;
        }
    }

    @Override
    public String describe() {
        return "testing watchdog " + device;
    }

    private void write(String text) throws IOException {
        if (out == null) {
            throw new IOException(describe() + " is not open");
        }
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
