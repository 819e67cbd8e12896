package org.bellwether.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The data directory and the files Bellwether keeps beside it (the server log, the default pgpass file). Files the
 * agent writes for PostgreSQL take the data directory's owner: when the agent runs as root (tests), PostgreSQL runs
 * as another user and must still be able to read them.
 */
public final class DataDirectory {
    private static final DateTimeFormatter ASIDE_SUFFIX = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private final Path path;

    public DataDirectory(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Whether it holds a cluster: initdb and pg_basebackup both write {@code PG_VERSION}. */
    public boolean isInitialized() {
        return Files.isRegularFile(path.resolve("PG_VERSION"));
    }

    public Optional<String> majorVersion() {
        try {
            return Optional.of(Files.readString(path.resolve("PG_VERSION")).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public boolean isMissingOrEmpty() {
        if (!Files.exists(path)) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** The server log {@code pg_ctl -l} appends to: {@code <data_dir>.log}, outside the data directory. */
    public Path serverLog() {
        return path.resolveSibling(path.getFileName() + ".log");
    }

    /** Where the pgpass file goes unless {@code postgresql.pgpass} says otherwise. */
    public Path defaultPgpass() {
        return path.resolveSibling(path.getFileName() + ".pgpass");
    }

    /**
     * The postmaster's PID from {@code postmaster.pid} if that process is alive. A PID file left by a crash may name
     * a PID reused by another program; a process known not to be PostgreSQL does not count. A postmaster that exited
     * but was not reaped yet (a zombie) still counts: PostgreSQL itself refuses to start while that PID exists.
     */
    public Optional<ProcessHandle> livePostmaster() {
        Path pidFile = path.resolve("postmaster.pid");
        String first;
        try (Stream<String> lines = Files.lines(pidFile, StandardCharsets.UTF_8)) {
            first = lines.findFirst().orElse("").trim();
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(first);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .command()
                        .map(c -> c.contains("postgres") || c.contains("postmaster"))
                        .orElse(true));
    }

    /** The user owning the data directory, or of its closest existing ancestor. */
    public UserPrincipal owner() throws IOException {
        Path p = path;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return Files.getOwner(p == null ? path.getRoot() : p);
    }

    /**
     * Writes a file atomically (readers such as a reloading PostgreSQL never see half of it), private to its owner,
     * owned by the data directory's owner.
     */
    public void writePrivateFile(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        giveToOwner(tmp);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes {@code file} belong to the data directory's owner when it does not already (only root can change it). */
    public void giveToOwner(Path file) throws IOException {
        UserPrincipal owner = owner();
        if (!Files.getOwner(file).equals(owner)) {
            Files.setOwner(file, owner);
        }
    }

    public void deleteIfExists(String name) throws IOException {
        Files.deleteIfExists(path.resolve(name));
    }

    /**
     * Moves the directory aside as {@code <data_dir>_<yyyy-MM-dd-HH-mm-ss>} (Patroni's name for a failed bootstrap),
     * keeping it for a post-mortem instead of deleting it.
     */
    public Optional<Path> moveAside(Clock clock) throws IOException {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        String stamp = LocalDateTime.now(clock).format(ASIDE_SUFFIX);
        Path target = path.resolveSibling(path.getFileName() + "_" + stamp);
        for (int n = 1; Files.exists(target); n++) {
            target = path.resolveSibling(path.getFileName() + "_" + stamp + "_" + n);
        }
        Files.move(path, target);
        return Optional.of(target);
    }

    /** Removes the directory and everything in it. */
    public void delete() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException e) {
                    // Already gone: what we wanted.
                }
            }
        }
    }
}
