package org.bellwether.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bellwether.config.ConfigReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bellwether validate CONFIG.yml}: checks a node configuration without starting anything. */
@Command(
        name = "validate",
        description = "Check a node configuration file without starting anything.",
        mixinStandardHelpOptions = true,
        versionProvider = BellwetherCommand.VersionProvider.class)
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG.yml", description = "Patroni-style node configuration file.")
    Path configFile;

    @Override
    public Integer call() {
        ConfigReport report = report(configFile, System.getenv());
        report.print(System.out, System.err);
        return report.exitCode();
    }

    /** The verdict {@code validate} prints: the file's rules, then PostgreSQL's judgement of its parameters. */
    static ConfigReport report(Path configFile, Map<String, String> environment) {
        return ParameterReview.review(ConfigReport.check(configFile, environment));
    }
}
