package org.bellwether.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a configured command ({@code post_bootstrap: /usr/local/bin/setup.sh --fast}) into words the way a POSIX
 * shell would for the simple cases Patroni users write (it uses Python's {@code shlex.split}): white space separates,
 * single quotes keep everything, double quotes and backslashes escape. No shell runs it, so nothing else expands.
 */
final class CommandLine {
    private CommandLine() {}

    static List<String> split(String command) throws PostgresException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\\'
                    && i + 1 < command.length()
                    && (quote == 0 || "\"\\$`".indexOf(command.charAt(i + 1)) >= 0)) {
                word.append(command.charAt(++i));
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new PostgresException("unbalanced quote in command: " + command);
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new PostgresException("empty command");
        }
        return words;
    }
}
