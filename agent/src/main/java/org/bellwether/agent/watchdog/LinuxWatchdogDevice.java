package org.bellwether.agent.watchdog;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux watchdog API ({@code Documentation/watchdog/watchdog-api.rst}): any write is a keepalive, writing
 * {@code V} before closing disarms it (magic close), timeouts are read and set with ioctl.
 */
public final class LinuxWatchdogDevice implements WatchdogDevice {
    private static final int O_WRONLY = 1;
    // _IOWR('W', 6, int) and _IOR('W', 7, int) from linux/watchdog.h.
    private static final long WDIOC_SETTIMEOUT = 0xC0045706L;
    private static final long WDIOC_GETTIMEOUT = 0x80045707L;

    /** The few libc calls the device needs; each throws LastErrorException with errno on failure. */
    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, NativeLong request, IntByReference value) throws LastErrorException;

        int write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static LibC libc;

    private final Path device;
    private int fd = -1;

    public LinuxWatchdogDevice(Path device) {
        this.device = device;
    }

    private static synchronized LibC libc() throws IOException {
        if (libc == null) {
            try {
                libc = Native.load("c", LibC.class);
            } catch (UnsatisfiedLinkError e) {
                throw new IOException("cannot load libc to drive the watchdog: " + e.getMessage(), e);
            }
        }
        return libc;
    }

    @Override
    public boolean usable() {
        return Files.exists(device) && Files.isWritable(device);
    }

    @Override
    public void open() throws IOException {
        try {
            fd = libc().open(device.toString(), O_WRONLY);
        } catch (LastErrorException e) {
            throw failure("open", e);
        }
    }

    @Override
    public boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public void setTimeout(int seconds) throws IOException {
        ioctl("WDIOC_SETTIMEOUT", WDIOC_SETTIMEOUT, new IntByReference(seconds));
    }

    @Override
    public int timeout() throws IOException {
        IntByReference value = new IntByReference();
        ioctl("WDIOC_GETTIMEOUT", WDIOC_GETTIMEOUT, value);
        return value.getValue();
    }

    @Override
    public void keepalive() throws IOException {
        write("1");
    }

    @Override
    public void close() throws IOException {
        if (!isOpen()) {
            return;
        }
        try {
            write("V");
        } finally {
            try {
                libc().close(fd);
            } catch (LastErrorException e) {
                throw failure("close", e);
            } finally {
                fd = -1;
            }
        }
    }

    @Override
    public String describe() {
        return "Linux watchdog device " + device;
    }

    private void ioctl(String name, long request, IntByReference value) throws IOException {
        requireOpen();
        try {
            libc().ioctl(fd, new NativeLong(request), value);
        } catch (LastErrorException e) {
            throw failure(name, e);
        }
    }

    private void write(String bytes) throws IOException {
        requireOpen();
        byte[] buffer = bytes.getBytes(StandardCharsets.US_ASCII);
        try {
            libc().write(fd, buffer, new NativeLong(buffer.length));
        } catch (LastErrorException e) {
            throw failure("write", e);
        }
    }

    private void requireOpen() throws IOException {
        if (!isOpen()) {
            throw new IOException(describe() + " is not open");
        }
    }

    private IOException failure(String call, LastErrorException e) {
        return new IOException(call + " on " + device + " failed: errno " + e.getErrorCode(), e);
    }
}
