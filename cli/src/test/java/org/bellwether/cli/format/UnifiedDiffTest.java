package org.bellwether.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected lines are Python's {@code difflib.unified_diff} of the same texts. */
class UnifiedDiffTest {
    @Test
    void changesInsertionAndDeletion_matchDifflib() {
        List<String> a = List.of("a: 1", "b: 2", "c: 3", "d: 4", "e: 5", "f: 6", "g: 7", "h: 8", "i: 9", "j: 10");
        List<String> b = List.of("a: 1", "b: 20", "c: 3", "d: 4", "e: 5", "new: x", "f: 6", "g: 7", "h: 8", "i: 90");

        assertThat(UnifiedDiff.diff(a, b))
                .containsExactly(
                        "--- ",
                        "+++ ",
                        "@@ -1,10 +1,10 @@",
                        " a: 1",
                        "-b: 2",
                        "+b: 20",
                        " c: 3",
                        " d: 4",
                        " e: 5",
                        "+new: x",
                        " f: 6",
                        " g: 7",
                        " h: 8",
                        "-i: 9",
                        "-j: 10",
                        "+i: 90");
    }

    @Test
    void distantChanges_makeSeparateHunks() {
        List<String> a = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        List<String> b = List.of("x", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "y");

        assertThat(UnifiedDiff.diff(a, b))
                .containsExactly(
                        "--- ",
                        "+++ ",
                        "@@ -1,4 +1,4 @@",
                        "-1",
                        "+x",
                        " 2",
                        " 3",
                        " 4",
                        "@@ -9,4 +9,4 @@",
                        " 9",
                        " 10",
                        " 11",
                        "-12",
                        "+y");
    }

    @Test
    void equalTexts_giveNoDiff_andLinesIgnoreTheLastNewline() {
        assertThat(UnifiedDiff.diff(List.of("a"), List.of("a"))).isEmpty();
        assertThat(UnifiedDiff.lines("a\nb\n")).containsExactly("a", "b");
        assertThat(UnifiedDiff.diff(List.of("a"), List.of("a", "b")))
                .containsExactly("--- ", "+++ ", "@@ -1 +1,2 @@", " a", "+b");
        assertThat(UnifiedDiff.diff(List.of("a", "b"), List.of("b")))
                .containsExactly("--- ", "+++ ", "@@ -1,2 +1 @@", "-a", " b");
    }
}
