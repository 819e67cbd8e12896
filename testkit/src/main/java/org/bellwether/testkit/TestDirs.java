package org.bellwether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories that the {@code postgres} user can use too (tests run as root, PostgreSQL as postgres).
 * PostgreSQL insists its data directory is private, so data directories are created by PostgreSQL's own tools
 * inside these.
 */
public final class TestDirs {
    private TestDirs() {}

    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("creating a temporary directory", e);
        }
    }

    /** Removes a directory tree, ignoring what is already gone. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir, e);
        }
    }
}
