package org.bellwether.agent.watchdog;

import java.io.IOException;

/**
 * A watchdog device: once opened, the machine is reset unless {@link #keepalive()} comes within the timeout; closing
 * it properly (the magic close) disarms it.
 */
public interface WatchdogDevice {
    /** Whether opening it can succeed: the device exists and this process may write to it. */
    boolean usable();

    void open() throws IOException;

    boolean isOpen();

    /** Asks the device to fire {@code seconds} after the last keepalive. */
    void setTimeout(int seconds) throws IOException;

    /** The timeout in force, in seconds. */
    int timeout() throws IOException;

    void keepalive() throws IOException;

    /** Disarms and closes the device. */
    void close() throws IOException;

    /** How the device is named in logs. */
    String describe();
}
