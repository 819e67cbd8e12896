package org.bellwether.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of the built executable that the {@code postgres} user can run: the build may sit under a home directory
 * that user cannot enter, and agents run as postgres when started by root.
 */
public final class LocalDistribution {
    private LocalDistribution() {}

    /**
     * Copies {@code bin/bellwether}, {@code bin/bellwetherctl} and every jar from {@code home} (a repository with a
     * build, or an unpacked distribution archive) into {@code target}, laid out as the archive is ({@code bin/},
     * {@code lib/}) and readable by everyone; returns the copy's launcher.
     */
    public static Path copy(Path home, Path target) {
        List<Path> jars = jars(home);
        try {
            Files.createDirectories(target.resolve("bin"));
            Files.createDirectories(target.resolve("lib"));
            for (String launcher : List.of("bellwether", "bellwetherctl")) {
                Files.copy(
                        home.resolve("bin").resolve(launcher),
                        target.resolve("bin").resolve(launcher),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            for (Path jar : jars) {
                Files.copy(jar, target.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            try (Stream<Path> all = Files.walk(target)) {
                for (Path p : all.toList()) {
                    boolean executable = Files.isDirectory(p) || p.getParent().endsWith("bin");
                    Files.setPosixFilePermissions(
                            p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            return target.resolve("bin/bellwether");
        } catch (IOException e) {
            throw new UncheckedIOException("copying Bellwether to " + target, e);
        }
    }

    /** {@code bellwether.jar} and its libraries: {@code app/target} of a build, else the archive's {@code lib/}. */
    private static List<Path> jars(Path home) {
        Path built = home.resolve("app/target");
        boolean sourceTree = Files.exists(built.resolve("bellwether.jar")) && Files.isDirectory(built.resolve("lib"));
        Path jar = sourceTree ? built.resolve("bellwether.jar") : home.resolve("lib/bellwether.jar");
        Path lib = sourceTree ? built.resolve("lib") : home.resolve("lib");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    "no build found in " + home + ": run ./mvnw -DskipTests package, or unpack the whole archive");
        }
        List<Path> jars = new ArrayList<>(List.of(jar));
        try (Stream<Path> files = Files.list(lib)) {
            files.filter(f -> f.toString().endsWith(".jar") && !f.equals(jar))
                    .sorted()
                    .forEach(jars::add);
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + lib, e);
        }
        return jars;
    }
}
