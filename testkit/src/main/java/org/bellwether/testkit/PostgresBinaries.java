package org.bellwether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The newest installed PostgreSQL server binaries (Debian's layout), for tests that run PostgreSQL tools directly. */
public final class PostgresBinaries {
    private PostgresBinaries() {}

    public static Path binDir() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> majors = Files.list(root)) {
            return majors.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> Files.isExecutable(p.resolve("bin/pg_ctl")))
                    .max(Comparator.comparingInt(
                            p -> Integer.parseInt(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under " + root));
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL server binaries not found (bin/install-deps installs them)", e);
        }
    }
}
