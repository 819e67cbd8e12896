package org.bellwether.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.bellwether.cli.format.PyYaml;
import org.bellwether.cli.format.UnifiedDiff;
import org.bellwether.core.ClusterConfig;
import org.bellwether.core.ClusterView;
import org.bellwether.dcs.ClusterStore;
import org.bellwether.dcs.DcsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edit-config}: changes the dynamic configuration with {@code -s}/{@code -p}, {@code --apply},
 * {@code --replace} or in {@code $EDITOR}; shows the unified diff of the YAML; checks the result with the core's
 * configuration rules and refuses a new violation naming its key; asks, then writes the {@code config} key with
 * compare-and-set on the version it read, so a concurrent change is never overwritten.
 */
@Command(
        name = "edit-config",
        description = "Edit cluster configuration",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class EditConfigCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..1", description = "The cluster (default: scope).")
    String cluster;

    @Option(
            names = {"-q", "--quiet"},
            description = "Do not show changes.")
    boolean quiet;

    @Option(
            names = {"-s", "--set"},
            paramLabel = "KEY=VALUE",
            description = "Set specific configuration value. Can be specified multiple times.")
    List<String> settings = new ArrayList<>();

    @Option(
            names = {"-p", "--pg"},
            paramLabel = "NAME=VALUE",
            description = "Set specific PostgreSQL parameter value. Shorthand for -s postgresql.parameters."
                    + " Can be specified multiple times.")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--apply", paramLabel = "FILE", description = "Apply configuration from file. Use - for stdin.")
    String applyFile;

    @Option(
            names = "--replace",
            paramLabel = "FILE",
            description = "Apply configuration from file, replacing existing configuration. Use - for stdin.")
    String replaceFile;

    @Mixin
    Options.ForceOption force;

    @Override
    int run() throws CtlException {
        String name = session.clusterName(Optional.ofNullable(cluster));
        ClusterStore store = session.store(name);
        ClusterView view = session.readExisting(name);
        ClusterConfig stored = view.config()
                .orElseThrow(() -> new CtlException("The config key does not exist in the cluster " + name));
        Map<String, Object> before = ConfigEdit.copy(stored.raw());
        String beforeText = PyYaml.dump(before);

        Map<String, Object> changed = before;
        String afterText = null;
        if (replaceFile != null) {
            changed = ConfigEdit.apply(Map.of(), read(replaceFile), replaceFile);
            afterText = PyYaml.dump(changed);
        }
        if (applyFile != null) {
            changed = ConfigEdit.apply(changed, read(applyFile), applyFile);
            afterText = PyYaml.dump(changed);
        }
        if (!settings.isEmpty() || !parameters.isEmpty()) {
            changed = ConfigEdit.set(changed, settings, parameters);
            afterText = PyYaml.dump(changed);
        }
        if (afterText == null) {
            afterText = Editor.edit(terminal, beforeText, name);
            changed = ConfigEdit.apply(Map.of(), ConfigEdit.parse(afterText, "the edited configuration"), "the edit");
        }

        if (ConfigEdit.same(before, changed)) {
            if (!quiet) {
                terminal.echo("Not changed");
            }
            return 0;
        }
        ChangedParameters.Verdict parameterVerdict = ChangedParameters.judge(before, changed);
        List<String> errors = new java.util.ArrayList<>(ConfigEdit.newErrors(before, changed));
        errors.addAll(parameterVerdict.errors());
        if (!errors.isEmpty()) {
            throw new CtlException(
                    "the new configuration is refused, nothing was written: " + String.join("; ", errors));
        }
        ConfigEdit.newWarnings(before, changed).forEach(w -> terminal.err().println("Warning: " + w));
        parameterVerdict.warnings().forEach(w -> terminal.err().println("Warning: " + w));
        terminal.err().flush();
        if (!quiet) {
            UnifiedDiff.diff(UnifiedDiff.lines(beforeText), UnifiedDiff.lines(afterText))
                    .forEach(terminal::echo);
        }
        if (("-".equals(applyFile) || "-".equals(replaceFile)) && !force.force) {
            // Standard input held the document, so there is nobody to ask.
            terminal.echo("Use --force option to apply changes");
            return 0;
        }
        if (force.force || terminal.confirm("Apply these changes?")) {
            boolean written;
            try {
                written = store.writeConfig(ConfigEdit.sorted(changed), OptionalLong.of(stored.version()));
            } catch (DcsException e) {
                throw new CtlException(
                        "cannot write the configuration to " + store.describe() + ": " + e.getMessage()
                                + "; read it again (show-config) to see whether it was applied",
                        e);
            }
            if (!written) {
                throw new CtlException("Config modification aborted due to concurrent changes");
            }
            terminal.echo("Configuration changed");
        }
        return 0;
    }

    private Object read(String file) throws CtlException {
        String text;
        if (file.equals("-")) {
            text = terminal.readAll();
        } else {
            try {
                text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CtlException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return ConfigEdit.parse(text, file.equals("-") ? "standard input" : file);
    }
}
