package org.bellwether.app.generate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a generated configuration to the file named (its directories made as needed), or to standard output. */
final class ConfigOutput {
    private ConfigOutput() {}

    static void write(String text, Path file, PrintWriter out) throws GenerateException {
        if (file == null) {
            out.print(text);
            out.flush();
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // The file may hold the superuser's password: readable by its owner only, as a .pgpass must be.
            if (!Files.exists(file)
                    && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(
                    file,
                    text,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new GenerateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
