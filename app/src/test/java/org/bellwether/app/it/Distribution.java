package org.bellwether.app.it;

import java.nio.file.Path;
import org.bellwether.app.demo.LocalDistribution;
import org.bellwether.testkit.TestDirs;

/** The built executable, copied once per test run where the {@code postgres} user can run it. */
final class Distribution {
    private static Path launcher;

    private Distribution() {}

    /** {@code bin/bellwether} of the copy. */
    static synchronized Path launcher() {
        if (launcher == null) {
            Path repository = Path.of(System.getProperty("bellwether.home", ".."))
                    .toAbsolutePath()
                    .normalize();
            Path dist = TestDirs.create("bellwether-dist");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> TestDirs.delete(dist)));
            launcher = LocalDistribution.copy(repository, dist);
        }
        return launcher;
    }
}
