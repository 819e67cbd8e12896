package org.bellwether.postgres;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the directory holding PostgreSQL's programs. A configured {@code postgresql.bin_dir} is taken as it is (and
 * must hold pg_ctl); otherwise {@code PATH} is searched first (the administrator's choice), then the packagers'
 * well-known locations, newest major version first. A pg_ctl found through a symbolic link stands for the directory
 * of its target. When the data directory already names its major version
 * ({@code PG_VERSION}), a directory of that version wins: pg_ctl of another major refuses to start it.
 */
public final class BinDirs {
    /** Debian/Ubuntu ({@code /usr/lib/postgresql/15/bin}) and PGDG RPM ({@code /usr/pgsql-15/bin}) layouts. */
    private static final List<Pattern> WELL_KNOWN = List.of(
            Pattern.compile("/usr/lib/postgresql/([0-9][0-9.]*)/bin"),
            Pattern.compile("/usr/pgsql-([0-9][0-9.]*)/bin"));

    private static final Pattern MAJOR = Pattern.compile("(?:postgresql/|pgsql-)([0-9]+(?:\\.[0-9]+)?)");

    private BinDirs() {}

    public static Path find(Optional<Path> configured) throws PostgresException {
        return find(configured, Optional.empty());
    }

    /** @param dataVersion the content of the data directory's {@code PG_VERSION}, when it exists */
    public static Path find(Optional<Path> configured, Optional<String> dataVersion) throws PostgresException {
        if (configured.isPresent()) {
            Path dir = configured.get();
            if (!hasPgCtl(dir)) {
                throw new PostgresException("postgresql.bin_dir " + dir + " does not contain an executable pg_ctl");
            }
            return dir;
        }
        return firstUsable(order(pathEntries(), wellKnownDirs(), dataVersion))
                .orElseThrow(() -> new PostgresException("no PostgreSQL programs found: pg_ctl is not on PATH nor in "
                        + "/usr/lib/postgresql/*/bin or /usr/pgsql-*/bin; set postgresql.bin_dir"));
    }

    /** The first candidate holding pg_ctl, as the directory pg_ctl really lives in. */
    static Optional<Path> firstUsable(List<Path> candidates) {
        return candidates.stream()
                .filter(BinDirs::hasPgCtl)
                .map(BinDirs::realDirectory)
                .findFirst();
    }

    /**
     * The search order: a directory of the data directory's major version first, then PATH in its order, then the
     * well-known directories, newest major first.
     */
    static List<Path> order(List<Path> path, List<Path> wellKnown, Optional<String> dataVersion) {
        List<Path> sortedWellKnown = new ArrayList<>(wellKnown);
        sortedWellKnown.sort(Comparator.comparing(BinDirs::majorOf, BinDirs::compareVersions)
                .reversed()
                .thenComparing(Path::toString));
        LinkedHashSet<Path> ordered = new LinkedHashSet<>();
        dataVersion
                .map(String::trim)
                .ifPresent(v -> sortedWellKnown.stream()
                        .filter(p -> majorOf(p).equals(v))
                        .forEach(ordered::add));
        ordered.addAll(path);
        ordered.addAll(sortedWellKnown);
        return List.copyOf(ordered);
    }

    /** The major version a well-known directory names ({@code 15}, {@code 9.6}), or empty. */
    static String majorOf(Path dir) {
        Matcher m = MAJOR.matcher(dir.toString());
        return m.find() ? m.group(1) : "";
    }

    /** Compares dotted versions numerically: 9.6 before 10, 10 before 15. */
    static int compareVersions(String a, String b) {
        String[] x = a.isEmpty() ? new String[0] : a.split("\\.");
        String[] y = b.isEmpty() ? new String[0] : b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(
                    i < x.length ? Integer.parseInt(x[i]) : -1, i < y.length ? Integer.parseInt(y[i]) : -1);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<Path> pathEntries() {
        String path = System.getenv("PATH");
        List<Path> entries = new ArrayList<>();
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(Path.of(entry));
                }
            }
        }
        return entries;
    }

    private static List<Path> wellKnownDirs() {
        List<Path> dirs = new ArrayList<>();
        listInto(Path.of("/usr/lib/postgresql"), "*", "bin", dirs);
        listInto(Path.of("/usr"), "pgsql-*", "bin", dirs);
        dirs.removeIf(
                d -> WELL_KNOWN.stream().noneMatch(p -> p.matcher(d.toString()).matches()));
        return dirs;
    }

    private static void listInto(Path parent, String glob, String child, List<Path> into) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, glob)) {
            entries.forEach(e -> into.add(e.resolve(child)));
        } catch (IOException e) {
            // An unreadable location is simply not a candidate.
        }
    }

    /**
     * The directory pg_ctl really lives in: a PATH entry may hold symbolic links to some of PostgreSQL's programs
     * only (here {@code /usr/local/bin/pg_ctl} without pg_controldata), while their target directory holds them all.
     */
    private static Path realDirectory(Path dir) {
        try {
            return dir.resolve("pg_ctl").toRealPath().getParent();
        } catch (IOException e) {
            return dir;
        }
    }

    private static boolean hasPgCtl(Path dir) {
        Path pgCtl = dir.resolve("pg_ctl");
        return Files.isRegularFile(pgCtl) && Files.isExecutable(pgCtl);
    }
}
