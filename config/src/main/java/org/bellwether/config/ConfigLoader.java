package org.bellwether.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bellwether.config.ConfigException.Kind;
import org.bellwether.config.ConfigException.Problem;
import org.bellwether.core.ConfigRules;

/**
 * Loads a node's configuration the way Patroni does: from a YAML file, or from every {@code .yml}/{@code .yaml} file
 * of a directory merged in name order, with {@code PATRONI_*} environment variables laid over it; or from the
 * environment alone ({@code PATRONI_CONFIGURATION} holding the whole YAML, else the individual variables).
 *
 * <p>Nothing here prints or exits: problems come back as a {@link ConfigException} naming source, key path and
 * fault, and warnings as data in {@link LoadedConfig}.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Reads {@code file} (a YAML file or a directory of them) with {@code environment}'s overrides. */
    public static LoadedConfig load(Path file, Map<String, String> environment) throws ConfigException {
        List<Path> files = files(file);
        Map<String, Object> tree = new LinkedHashMap<>();
        Map<String, String> origins = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Path f : files) {
            YamlReader.Parsed parsed = YamlReader.read(readText(f), f.toString());
            warnings.addAll(parsed.warnings());
            ConfigTree.patch(tree, topLevelMap(parsed.root(), f.toString()), "", f.toString(), origins);
        }
        return withEnvironment(tree, origins, warnings, environment, file.toString(), Optional.of(file));
    }

    /**
     * Reads a configuration given only by the environment. As in Patroni, {@code PATRONI_CONFIGURATION}, when set,
     * holds the whole YAML and the other variables are not consulted.
     */
    public static LoadedConfig fromEnvironment(Map<String, String> environment) throws ConfigException {
        String whole = environment.get(EnvironmentConfig.CONFIGURATION);
        if (whole != null && !whole.isBlank()) {
            String source = EnvironmentConfig.source(EnvironmentConfig.CONFIGURATION);
            YamlReader.Parsed parsed = YamlReader.read(whole, source);
            Map<String, Object> tree = topLevelMap(parsed.root(), source);
            Diagnostics diagnostics = new Diagnostics(source, new HashMap<>(), parsed.warnings());
            return NodeConfigReader.read(tree, diagnostics, Optional.empty());
        }
        EnvironmentConfig.Result env = EnvironmentConfig.read(environment);
        Map<String, String> origins = new HashMap<>(env.origins());
        Diagnostics diagnostics = new Diagnostics("environment", origins, env.warnings());
        return NodeConfigReader.read(env.tree(), diagnostics, Optional.empty());
    }

    /**
     * What the environment alone sets, as a raw tree, before any checking: {@code PATRONI_CONFIGURATION}'s YAML when
     * it is set, else the individual variables. Generating a configuration starts from it, as Patroni's generator
     * starts from its environment-only configuration.
     */
    public static Map<String, Object> environmentTree(Map<String, String> environment) throws ConfigException {
        String whole = environment.get(EnvironmentConfig.CONFIGURATION);
        if (whole != null && !whole.isBlank()) {
            String source = EnvironmentConfig.source(EnvironmentConfig.CONFIGURATION);
            return topLevelMap(YamlReader.read(whole, source).root(), source);
        }
        return EnvironmentConfig.read(environment).tree();
    }

    /** Reads YAML text, for callers that hold the configuration in memory ({@code source} names it in messages). */
    public static LoadedConfig fromYaml(String yaml, String source, Map<String, String> environment)
            throws ConfigException {
        YamlReader.Parsed parsed = YamlReader.read(yaml, source);
        Map<String, Object> tree = topLevelMap(parsed.root(), source);
        return withEnvironment(
                tree, new HashMap<>(), new ArrayList<>(parsed.warnings()), environment, source, Optional.empty());
    }

    /**
     * Reads what the command-line tool needs, leniently: a full node configuration or a minimal one (see
     * {@link CtlSettings}). As for patronictl, {@code file} (a YAML file or a directory of them) gets the
     * environment's {@code PATRONI_*} overrides laid over it; without a file the configuration comes from the
     * environment alone ({@code PATRONI_CONFIGURATION}, else the individual variables).
     */
    public static CtlSettings loadForCtl(Optional<Path> file, Map<String, String> environment) throws ConfigException {
        if (file.isEmpty()) {
            String whole = environment.get(EnvironmentConfig.CONFIGURATION);
            if (whole != null && !whole.isBlank()) {
                String source = EnvironmentConfig.source(EnvironmentConfig.CONFIGURATION);
                YamlReader.Parsed parsed = YamlReader.read(whole, source);
                Diagnostics diagnostics = new Diagnostics(source, new HashMap<>(), parsed.warnings());
                return CtlSettingsReader.read(topLevelMap(parsed.root(), source), diagnostics, Optional.empty());
            }
            EnvironmentConfig.Result env = EnvironmentConfig.read(environment);
            Diagnostics diagnostics = new Diagnostics("environment", new HashMap<>(env.origins()), env.warnings());
            return CtlSettingsReader.read(env.tree(), diagnostics, Optional.empty());
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        Map<String, String> origins = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Path f : files(file.get())) {
            YamlReader.Parsed parsed = YamlReader.read(readText(f), f.toString());
            warnings.addAll(parsed.warnings());
            ConfigTree.patch(tree, topLevelMap(parsed.root(), f.toString()), "", f.toString(), origins);
        }
        EnvironmentConfig.Result env = EnvironmentConfig.read(environment);
        ConfigTree.patch(tree, env.tree(), "", "environment", origins);
        origins.putAll(env.origins());
        warnings.addAll(env.warnings());
        return CtlSettingsReader.read(tree, new Diagnostics(file.get().toString(), origins, warnings), file);
    }

    /**
     * Parses YAML text the way PyYAML's {@code safe_load} does for Patroni (YAML 1.1 booleans, merge keys), into
     * maps, lists and scalars; null for an empty document. {@code source} names the text in messages.
     */
    public static Object parseYaml(String yaml, String source) throws ConfigException {
        return YamlReader.read(yaml, source).root();
    }

    /** Lays the environment over the files (the environment wins, as in Patroni) and maps the result. */
    private static LoadedConfig withEnvironment(
            Map<String, Object> tree,
            Map<String, String> origins,
            List<String> warnings,
            Map<String, String> environment,
            String defaultSource,
            Optional<Path> source)
            throws ConfigException {
        EnvironmentConfig.Result env = EnvironmentConfig.read(environment);
        ConfigTree.patch(tree, env.tree(), "", "environment", origins);
        origins.putAll(env.origins());
        warnings.addAll(env.warnings());
        return NodeConfigReader.read(tree, new Diagnostics(defaultSource, origins, warnings), source);
    }

    /** The file itself, or the YAML files of a directory in name order (Patroni sorts them the same way). */
    private static List<Path> files(Path file) throws ConfigException {
        if (!Files.isDirectory(file)) {
            return List.of(file);
        }
        try (Stream<Path> entries = Files.list(file)) {
            List<Path> files = entries.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yml") || n.endsWith(".yaml");
                    })
                    .sorted((a, b) ->
                            a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
            if (files.isEmpty()) {
                throw unreadable(file, "the directory holds no .yml or .yaml file");
            }
            return files;
        } catch (IOException e) {
            throw unreadable(file, "cannot list the directory: " + e.getMessage());
        }
    }

    private static String readText(Path file) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (MalformedInputException e) {
            throw unreadable(file, "is not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(file, "cannot be read: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> topLevelMap(Object root, String source) throws ConfigException {
        if (root instanceof Map<?, ?> m) {
            return (Map<String, Object>) ConfigTree.copy(m);
        }
        String message = root == null
                ? "holds no settings; expected a mapping such as 'scope: ...'"
                : "expected a mapping of settings at the top level, got " + ConfigRules.describe(root);
        throw new ConfigException(new Problem(Kind.SYNTAX, source, "", message));
    }

    private static ConfigException unreadable(Path file, String message) {
        return new ConfigException(new Problem(Kind.UNREADABLE, file.toString(), "", message));
    }
}
