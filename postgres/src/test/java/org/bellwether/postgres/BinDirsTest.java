package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinDirsTest {
    private static final Path DEB_96 = Path.of("/usr/lib/postgresql/9.6/bin");
    private static final Path DEB_10 = Path.of("/usr/lib/postgresql/10/bin");
    private static final Path DEB_15 = Path.of("/usr/lib/postgresql/15/bin");
    private static final Path RPM_16 = Path.of("/usr/pgsql-16/bin");

    @Test
    void wellKnownDirectories_newestMajorFirst_afterPath() {
        List<Path> order = BinDirs.order(
                List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin")),
                List.of(DEB_96, DEB_15, RPM_16, DEB_10),
                Optional.empty());

        assertThat(order)
                .containsExactly(Path.of("/usr/local/bin"), Path.of("/usr/bin"), RPM_16, DEB_15, DEB_10, DEB_96);
    }

    @Test
    void dataDirectoryVersion_winsOverNewerOnes() {
        List<Path> order =
                BinDirs.order(List.of(Path.of("/usr/bin")), List.of(DEB_15, RPM_16, DEB_10), Optional.of("10\n"));

        assertThat(order).containsExactly(DEB_10, Path.of("/usr/bin"), RPM_16, DEB_15);
    }

    @Test
    void versions_compareNumerically() {
        assertThat(BinDirs.compareVersions("9.6", "10")).isNegative();
        assertThat(BinDirs.compareVersions("16", "15")).isPositive();
        assertThat(BinDirs.compareVersions("9.6", "9.5")).isPositive();
        assertThat(BinDirs.majorOf(DEB_96)).isEqualTo("9.6");
        assertThat(BinDirs.majorOf(RPM_16)).isEqualTo("16");
        assertThat(BinDirs.majorOf(Path.of("/usr/bin"))).isEmpty();
    }

    @Test
    void configuredDirectoryWithoutPgCtl_isAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> BinDirs.find(Optional.of(dir)))
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("bin_dir " + dir)
                .hasMessageContaining("pg_ctl");
    }

    @Test
    void configuredDirectoryWithPgCtl_isTakenAsItIs(@TempDir Path dir) throws Exception {
        Path pgCtl = Files.createFile(dir.resolve("pg_ctl"));
        makeExecutable(pgCtl);

        assertThat(BinDirs.find(Optional.of(dir))).isEqualTo(dir);
    }

    @Test
    void pgCtlLinkedIntoAPathDirectory_standsForItsTargetDirectory(@TempDir Path root) throws Exception {
        Path real = Files.createDirectories(root.resolve("pg/15/bin"));
        makeExecutable(Files.createFile(real.resolve("pg_ctl")));
        Files.createFile(real.resolve("pg_controldata"));
        Path linked = Files.createDirectories(root.resolve("local/bin"));
        Files.createSymbolicLink(linked.resolve("pg_ctl"), real.resolve("pg_ctl"));

        assertThat(BinDirs.firstUsable(List.of(root.resolve("empty"), linked))).contains(real.toRealPath());
    }

    private static void makeExecutable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
