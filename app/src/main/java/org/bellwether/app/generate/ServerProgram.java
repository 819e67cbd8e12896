package org.bellwether.app.generate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwether.postgres.BinDirs;
import org.bellwether.postgres.PostgresException;
import org.bellwether.postgres.ProcessRunner;

/**
 * The installed PostgreSQL server's version, from {@code postgres --version}, as Patroni's sample generator asks
 * it. The program is looked for where the agent would look ({@code postgresql.bin_dir}, else {@code PATH} and the
 * packagers' directories), under the name {@code postgresql.bin_name.postgres} gives.
 */
final class ServerProgram {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) ([0-9]+)(?:\\.([0-9]+))?");

    private ServerProgram() {}

    /** @param postgresql the {@code postgresql} section of the configuration being generated */
    static int versionNum(Map<String, Object> postgresql) throws GenerateException {
        String binDir = Tree.text(postgresql, "bin_dir");
        Object names = postgresql.get("bin_name");
        String name =
                names instanceof Map<?, ?> m && m.get("postgres") instanceof String s && !s.isBlank() ? s : "postgres";
        try {
            Path dir = BinDirs.find(binDir.isBlank() ? Optional.empty() : Optional.of(Path.of(binDir)));
            String output = ProcessRunner.direct()
                    .run(ProcessRunner.Command.of(
                            name + " --version",
                            Duration.ofSeconds(30),
                            List.of(dir.resolve(name).toString(), "--version")))
                    .orThrow()
                    .output();
            return parse(output)
                    .orElseThrow(() -> new GenerateException("cannot read the PostgreSQL version in '" + output.strip()
                            + "' (" + dir.resolve(name) + " --version)"));
        } catch (PostgresException e) {
            throw new GenerateException(e.getMessage(), e);
        }
    }

    /** {@code postgres (PostgreSQL) 15.13 (Debian 15.13-1)} is 150000; {@code 9.6.24} is 90600. */
    static Optional<Integer> parse(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        if (!m.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        if (major >= 10) {
            return Optional.of(major * 10000);
        }
        return m.group(2) == null ? Optional.empty() : Optional.of(major * 10000 + Integer.parseInt(m.group(2)) * 100);
    }
}
