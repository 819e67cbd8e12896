package org.bellwether.app.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The directory of the running server's programs, {@code postgresql.bin_dir}, found as Patroni finds it: the
 * postmaster's process ID from the first line of {@code postmaster.pid}, and the directory of that process's program.
 */
final class PostmasterProgram {
    private PostmasterProgram() {}

    static String binDir(String dataDir) throws GenerateException {
        long pid = pid(Path.of(dataDir).resolve("postmaster.pid"));
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new GenerateException("Obtained postmaster pid doesn't exist."));
        String command = process.info()
                .command()
                .orElseThrow(() -> new GenerateException("Cannot tell the program of the postmaster (pid " + pid
                        + "); run as the user that runs PostgreSQL"));
        Path parent = Path.of(command).getParent();
        return parent == null ? "" : parent.toString();
    }

    static long pid(Path pidFile) throws GenerateException {
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            throw new GenerateException("Error while reading postmaster.pid file: " + e, e);
        }
        String first = lines.isEmpty() ? "" : lines.get(0).strip();
        if (first.isEmpty()) {
            throw new GenerateException("Failed to obtain postmaster pid from postmaster.pid file");
        }
        try {
            return Long.parseLong(first);
        } catch (NumberFormatException e) {
            throw new GenerateException("Failed to obtain postmaster pid from postmaster.pid file: '" + first + "'");
        }
    }
}
