package org.bellwether.app.generate;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bellwether.app.BellwetherCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bellwether generate-sample-config [FILE]}, also {@code bellwether --generate-sample-config [FILE]}. */
@Command(
        name = "generate-sample-config",
        description = "Write a sample node configuration with Patroni's defaults (to FILE, else standard output).",
        mixinStandardHelpOptions = true,
        versionProvider = BellwetherCommand.VersionProvider.class)
public final class GenerateSampleConfigCommand implements Callable<Integer> {
    /**
     * The version the sample is made for when no PostgreSQL server program is installed here: the oldest that
     * Bellwether is tested with. Patroni stops instead; a sample is still of use on a machine without PostgreSQL.
     */
    static final int ASSUMED_SERVER_VERSION_NUM = 150000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "Where to write (default: standard output).")
    Path file;

    @Override
    public Integer call() {
        return generate(file, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    public static int generate(Path file, PrintWriter out, PrintWriter err) {
        return generate(file, System.getenv(), out, err);
    }

    /** @param env the variables whose {@code PATRONI_*} ones set values, as for {@code validate} and the agent */
    public static int generate(Path file, Map<String, String> env, PrintWriter out, PrintWriter err) {
        try {
            Map<String, Object> environment = Generation.environment(env);
            int version = serverVersionNum(environment, err);
            ConfigOutput.write(document(environment, Generation.address(err), version), file, out);
            return 0;
        } catch (GenerateException e) {
            return Generation.fail(err, e);
        }
    }

    /**
     * The sample for a machine with {@code address} and the given PostgreSQL version.
     *
     * @param environment what the {@code PATRONI_*} environment sets
     */
    static String document(Map<String, Object> environment, HostAddress address, int serverVersionNum) {
        Map<String, Object> config = SampleConfig.complete(ConfigTemplate.of(address, environment), serverVersionNum);
        return ConfigDocument.render(config, !ConfigTemplate.namesDcs(environment));
    }

    private static int serverVersionNum(Map<String, Object> environment, PrintWriter err) {
        try {
            return ServerProgram.versionNum(Tree.section(Tree.copyOf(environment), "postgresql"));
        } catch (GenerateException e) {
            Generation.warn(
                    err,
                    e.getMessage() + "; the sample is for PostgreSQL " + ASSUMED_SERVER_VERSION_NUM / 10000
                            + " and later");
            return ASSUMED_SERVER_VERSION_NUM;
        }
    }
}
