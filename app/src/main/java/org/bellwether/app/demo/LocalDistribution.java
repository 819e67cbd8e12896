package org.bellwether.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * A copy of the built executable that the {@code postgres} user can run: the build may sit under a home directory
 * that user cannot enter, and agents run as postgres when started by root.
 */
public final class LocalDistribution {
    private LocalDistribution() {}

    /**
     * Copies {@code bin/bellwether} (and {@code bin/bellwetherctl}), the jar and its libraries from {@code home} (a repository with a build, or an
     * unpacked distribution) into {@code target}, readable by everyone; returns the copy's launcher.
     */
    public static Path copy(Path home, Path target) {
        Path built = Files.isDirectory(home.resolve("app/target/lib")) ? home.resolve("app/target") : home;
        if (!Files.exists(built.resolve("bellwether.jar")) || !Files.isDirectory(built.resolve("lib"))) {
            throw new IllegalStateException("no build found in " + home + ": run ./mvnw -DskipTests package first");
        }
        try {
            Files.createDirectories(target.resolve("bin"));
            Files.createDirectories(target.resolve("lib"));
            Files.copy(
                    home.resolve("bin/bellwether"),
                    target.resolve("bin/bellwether"),
                    StandardCopyOption.REPLACE_EXISTING);
            if (Files.exists(home.resolve("bin/bellwetherctl"))) {
                Files.copy(
                        home.resolve("bin/bellwetherctl"),
                        target.resolve("bin/bellwetherctl"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(
                    built.resolve("bellwether.jar"),
                    target.resolve("bellwether.jar"),
                    StandardCopyOption.REPLACE_EXISTING);
            try (Stream<Path> jars = Files.list(built.resolve("lib"))) {
                for (Path jar : jars.toList()) {
                    Files.copy(
                            jar, target.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try (Stream<Path> all = Files.walk(target)) {
                for (Path p : all.toList()) {
                    String name = p.getFileName().toString();
                    boolean executable =
                            Files.isDirectory(p) || name.equals("bellwether") || name.equals("bellwetherctl");
                    Files.setPosixFilePermissions(
                            p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            return target.resolve("bin/bellwether");
        } catch (IOException e) {
            throw new UncheckedIOException("copying Bellwether to " + target, e);
        }
    }
}
