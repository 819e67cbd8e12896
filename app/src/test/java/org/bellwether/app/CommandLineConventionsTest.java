package org.bellwether.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command of the executable, found by walking the command tree (so a command added later is checked too),
 * answers {@code --help}, {@code -h} and {@code --version} with exit code 0, and a wrong command line with 2.
 */
class CommandLineConventionsTest {
    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BellwetherCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** The path of names to each command, the top-level one (an empty path) included. */
    static Stream<List<String>> everyCommand() {
        List<List<String>> paths = new ArrayList<>();
        walk(BellwetherCommand.commandLine(), List.of(), paths, new IdentityHashMap<>());
        return paths.stream();
    }

    private static void walk(
            CommandLine command, List<String> path, List<List<String>> out, Map<CommandLine, Boolean> seen) {
        if (seen.put(command, true) != null) {
            return; // an alias of a command already walked
        }
        out.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            walk(sub, subPath, out, seen);
        });
    }

    @ParameterizedTest(name = "bellwether {0}")
    @MethodSource("everyCommand")
    void helpAndVersion_exitZero_onEveryCommand(List<String> path) {
        String usage = String.join(
                " ", Stream.concat(Stream.of("bellwether"), path.stream()).toList());
        for (String help : List.of("--help", "-h")) {
            Result r = run(with(path, help));

            assertThat(r.exit()).as(usage + " " + help + ": " + r.err()).isZero();
            assertThat(r.out()).startsWith("Usage: " + usage);
            assertThat(r.err()).isEmpty();
        }
        Result version = run(with(path, "--version"));

        assertThat(version.exit()).as(usage + " --version: " + version.err()).isZero();
        assertThat(version.out()).matches("bellwether (ctl version )?" + Version.BELLWETHER.replace(".", "\\.") + "\n");
    }

    @Test
    void theWalk_findsTheCommandsOfBothToolsAndTheGenerators() {
        assertThat(everyCommand().map(p -> String.join(" ", p)))
                .contains(
                        "",
                        "agent",
                        "validate",
                        "demo",
                        "generate-config",
                        "generate-sample-config",
                        "ctl",
                        "ctl list",
                        "ctl topology",
                        "ctl edit-config",
                        "ctl version")
                .hasSizeGreaterThan(20);
    }

    @Test
    void unknownOption_isAUsageError_exitTwo_namingIt() {
        Result r = run("agent", "node1.yml", "--nosuch");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("Unknown option: '--nosuch'").contains("Usage: bellwether agent");
    }

    @Test
    void unknownCommand_isAUsageError() {
        Result r = run("agnet", "node1.yml");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isNotEmpty();
    }

    @Test
    void aWordThatIsNoCommand_withoutGenerateOption_isAUsageError() {
        Result r = run("agnet");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("Unknown command: 'agnet'");
    }

    @Test
    void generateOptions_areMutuallyExclusive_andDsnNeedsGenerateConfig() {
        Result both = run("--generate-config", "--generate-sample-config");
        Result dsn = run("--generate-sample-config", "--dsn", "host=x");

        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).startsWith("--generate-sample-config and --generate-config are mutually exclusive");
        assertThat(dsn.exit()).isEqualTo(2);
        assertThat(dsn.err()).startsWith("--dsn can only be used with --generate-config");
    }

    @Test
    void ctlHelp_isNotSwallowedByPatronictlsOptions() {
        // patronictl has no -h of its own (click answers only --help); no ctl option may take it over.
        Result r = run("ctl", "query", "-h");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: bellwether ctl query");
    }

    @Test
    void resultCommands_logQuietly_servicesDoNot() {
        assertThat(Main.printsResults(new String[] {"ctl", "list"})).isTrue();
        assertThat(Main.printsResults(new String[] {"--generate-sample-config"}))
                .isTrue();
        assertThat(Main.printsResults(new String[] {"generate-config", "--dsn", "host=x"}))
                .isTrue();
        assertThat(Main.printsResults(new String[] {"agent", "node1.yml"})).isFalse();
        assertThat(Main.printsResults(new String[0])).isFalse();
    }

    private static String[] with(List<String> path, String option) {
        List<String> args = new ArrayList<>(path);
        args.add(option);
        return args.toArray(String[]::new);
    }
}
