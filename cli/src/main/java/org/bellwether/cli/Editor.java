package org.bellwether.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code edit-config} without changes on the command line: the YAML in {@code $EDITOR} (else editor, else vi). */
final class Editor {
    private Editor() {}

    static String edit(Terminal terminal, String text, String cluster) throws CtlException {
        String editor = terminal.env("EDITOR")
                .or(() -> onPath(terminal, "editor"))
                .or(() -> onPath(terminal, "vi"))
                .orElseThrow(() ->
                        new CtlException("EDITOR environment variable is not set. editor or vi are not available"));
        Path file = null;
        try {
            file = Files.createTempFile(cluster.replace('/', '_') + "-config-", ".yaml");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            int exit = new ProcessBuilder(editor, file.toString())
                    .inheritIO()
                    .start()
                    .waitFor();
            if (exit != 0) {
                throw new CtlException("Editor exited with return code " + exit);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CtlException("cannot run the editor " + editor + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted while the editor ran");
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    terminal.err().println("Warning: could not delete " + file + ": " + e.getMessage());
                }
            }
        }
    }

    private static Optional<String> onPath(Terminal terminal, String program) {
        for (String dir : terminal.env("PATH").orElse("").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
