package org.bellwether.app;

/** {@code bellwether}: the one executable. Subcommands are wired in {@link BellwetherCommand}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (printsResults(args)) {
            quietForCtl(System.getenv());
        }
        // Libraries that log through java.util.logging (gRPC) go through the same configuration as everything else.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        System.exit(BellwetherCommand.run(args));
    }

    /**
     * Whether the command prints a result rather than runs a service: {@code ctl}, and the configuration generators,
     * whose output may be the standard output redirected into a file.
     */
    static boolean printsResults(String[] args) {
        if (args.length == 0) {
            return false;
        }
        return java.util.Set.of(org.bellwether.cli.CtlCommand.NAME, "generate-config", "generate-sample-config")
                        .contains(args[0])
                || java.util.Arrays.stream(args)
                        .anyMatch(a -> a.equals("--generate-config") || a.equals("--generate-sample-config"));
    }

    /**
     * The tool prints results, not a log: as patronictl it logs warnings only, unless {@code LOGLEVEL},
     * {@code PATRONI_LOGLEVEL} or {@code PATRONI_LOG_LEVEL} (Python's level names) or {@code BELLWETHER_LOG_LEVEL}
     * says otherwise. Set before anything logs, since the logging configuration reads it once.
     */
    static void quietForCtl(java.util.Map<String, String> env) {
        if (env.containsKey("BELLWETHER_LOG_LEVEL") || System.getProperty("BELLWETHER_LOG_LEVEL") != null) {
            return;
        }
        String level = "WARNING";
        for (String name : new String[] {"LOGLEVEL", "PATRONI_LOGLEVEL", "PATRONI_LOG_LEVEL"}) {
            level = env.getOrDefault(name, level);
        }
        String logback = switch (level.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "DEBUG" -> "DEBUG";
            case "INFO" -> "INFO";
            case "ERROR", "CRITICAL", "FATAL" -> "ERROR";
            default -> "WARN";
        };
        System.setProperty("BELLWETHER_LOG_LEVEL", logback);
    }
}
