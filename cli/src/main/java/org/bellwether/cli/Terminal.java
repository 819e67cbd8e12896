package org.bellwether.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Where a command reads answers and writes output, and the environment it sees. Tests give buffers and a map; the
 * executable gives the process's streams. Prompts follow click, which patronictl uses: a default in brackets, an
 * empty answer takes it, and end of input aborts.
 */
public final class Terminal {
    private final BufferedReader in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> environment;
    private final boolean interactive;

    /**
     * @param interactive whether standard output is a terminal (screens are cleared for {@code -W}, the diff of
     *     {@code edit-config} may be coloured)
     */
    public Terminal(
            BufferedReader in, PrintWriter out, PrintWriter err, Map<String, String> environment, boolean interactive) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.environment = Map.copyOf(environment);
        this.interactive = interactive;
    }

    /** The process's own streams and environment. */
    public static Terminal system() {
        return new Terminal(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintWriter(new PrintStream(System.out, true, StandardCharsets.UTF_8), true),
                new PrintWriter(new PrintStream(System.err, true, StandardCharsets.UTF_8), true),
                System.getenv(),
                System.console() != null);
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Optional<String> env(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isEmpty());
    }

    public boolean interactive() {
        return interactive;
    }

    /** Prints {@code text} and a newline, as {@code click.echo}. */
    public void echo(String text) {
        out.println(text);
        out.flush();
    }

    /** Prints text that already ends in a newline (tables, documents). */
    public void print(String text) {
        out.print(text);
        out.flush();
    }

    /** {@code click.prompt(text, default=...)}: {@code text [default]: }; an empty answer takes the default. */
    public String prompt(String text, Optional<String> defaultValue) throws CtlException {
        while (true) {
            out.print(text + defaultValue.map(d -> " [" + d + "]").orElse("") + ": ");
            out.flush();
            String answer = readLine();
            if (!answer.isEmpty()) {
                return answer;
            }
            if (defaultValue.isPresent()) {
                return defaultValue.get();
            }
        }
    }

    /** {@code click.confirm(text)}: {@code text [y/N]: }, anything but y/yes is no. */
    public boolean confirm(String text) throws CtlException {
        while (true) {
            out.print(text + " [y/N]: ");
            out.flush();
            String answer = readLine().trim().toLowerCase(java.util.Locale.ROOT);
            switch (answer) {
                case "y", "yes":
                    return true;
                case "", "n", "no":
                    return false;
                default:
                    out.println("Error: invalid input");
            }
        }
    }

    /** A password without echo when there is a console, else a line of standard input. */
    public String password(String text) throws CtlException {
        Console console = System.console();
        if (console != null && interactive) {
            char[] answer = console.readPassword("%s: ", text);
            if (answer == null) {
                throw aborted();
            }
            return new String(answer);
        }
        out.print(text + ": ");
        out.flush();
        return readLine();
    }

    /** All of standard input, for {@code --apply -} and {@code query -f -}. */
    public String readAll() throws CtlException {
        try {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                text.append(buffer, 0, n);
            }
            return text.toString();
        } catch (IOException e) {
            throw new CtlException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    private String readLine() throws CtlException {
        try {
            String line = in.readLine();
            if (line == null) {
                out.println();
                throw aborted();
            }
            return line;
        } catch (IOException e) {
            throw new CtlException("cannot read the answer from standard input: " + e.getMessage(), e);
        }
    }

    private static CtlException aborted() {
        return new CtlException("aborted: no answer on standard input (--force answers the questions where offered)");
    }

    /** Clears the screen before each round of {@code -W}/{@code -w}, as {@code click.clear()} on a terminal. */
    public void clear() {
        if (interactive) {
            out.print("\033[2J\033[H");
            out.flush();
        }
    }
}
