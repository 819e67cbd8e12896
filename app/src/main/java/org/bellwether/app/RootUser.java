package org.bellwether.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process runs as root (uid 0), read from {@code /proc/self/status} where it exists. */
final class RootUser {
    private RootUser() {}

    static boolean isRoot() {
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("Uid:")) {
                        return line.substring(4).trim().split("\\s+")[1].equals("0");
                    }
                }
            } catch (IOException e) {
                // fall through to the user name
            }
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
