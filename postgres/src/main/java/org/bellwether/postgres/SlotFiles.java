package org.bellwether.postgres;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A stopped server's replication slots as files: {@code pg_replslot/<name>/state}, which is all PostgreSQL keeps of a
 * slot. Written the way PostgreSQL writes them (a {@code .tmp} directory, synced, renamed into place), so a crash
 * leaves the old slot or the new one, never half of one.
 */
final class SlotFiles {
    /** What PostgreSQL accepts as a slot name; anything else must not become a path. */
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    /**
     * Where the slot's database OID lies in the state file: after the magic, checksum, version and length (four bytes
     * each) and the 64-byte name, in every on-disk version since PostgreSQL 9.4. Zero for a physical slot.
     */
    private static final int DATABASE_OFFSET = 16 + 64;

    private SlotFiles() {}

    /** The state files of the physical slots in {@code dir}, by slot name. */
    static SortedMap<String, byte[]> readPhysical(DataDirectory dir) throws IOException {
        SortedMap<String, byte[]> out = new TreeMap<>();
        Path replslot = dir.resolve("pg_replslot");
        if (!Files.isDirectory(replslot)) {
            return out;
        }
        try (DirectoryStream<Path> slots = Files.newDirectoryStream(replslot)) {
            for (Path slot : slots) {
                String name = slot.getFileName().toString();
                Path state = slot.resolve("state");
                if (!SLOT_NAME.matcher(name).matches() || !Files.isRegularFile(state)) {
                    continue;
                }
                byte[] content = Files.readAllBytes(state);
                if (content.length >= DATABASE_OFFSET + 4
                        && ByteBuffer.wrap(content, DATABASE_OFFSET, 4)
                                        .order(ByteOrder.nativeOrder())
                                        .getInt()
                                == 0) {
                    out.put(name, content);
                }
            }
        }
        return out;
    }

    /** Writes each slot's state file into {@code dir}'s {@code pg_replslot}, replacing a slot of the same name. */
    static void write(DataDirectory dir, Map<String, byte[]> states) throws IOException {
        Path replslot = dir.resolve("pg_replslot");
        for (Map.Entry<String, byte[]> slot : states.entrySet()) {
            if (!SLOT_NAME.matcher(slot.getKey()).matches()) {
                continue;
            }
            Path target = replslot.resolve(slot.getKey());
            Path tmp = replslot.resolve(slot.getKey() + ".tmp");
            deleteTree(tmp);
            Files.createDirectory(
                    tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            dir.giveToOwner(tmp);
            Path state = tmp.resolve("state");
            Files.createFile(state, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            dir.giveToOwner(state);
            try (FileChannel f = FileChannel.open(state, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap(slot.getValue());
                while (content.hasRemaining()) {
                    f.write(content);
                }
                f.force(true);
            }
            fsync(tmp);
            deleteTree(target);
            Files.move(tmp, target);
            fsync(target);
        }
        fsync(replslot);
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** A directory's entries (a new file, a rename) survive a crash only once the directory itself is synced. */
    private static void fsync(Path directory) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
