package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.bellwether.core.Lsn;
import org.junit.jupiter.api.Test;

class SlotFilesTest {
    @Test
    void segmentStart_isWhereTheOldestWalFileBegins() {
        assertThat(LogicalSlotCopy.segmentStart("000000010000000000000002", 16 * 1024 * 1024))
                .contains(new Lsn(0x2000000L));
        assertThat(LogicalSlotCopy.segmentStart("0000000300000001000000FF", 16 * 1024 * 1024))
                .contains(new Lsn(0x1FF000000L));
    }

    @Test
    void segmentStart_ofANameOrSizeThatCannotBe_isUnknown() {
        assertThat(LogicalSlotCopy.segmentStart("00000001000000000000010F", 16 * 1024 * 1024))
                .isEqualTo(Optional.empty());
        assertThat(LogicalSlotCopy.segmentStart("000000010000000000000002", 3_000_000))
                .isEmpty();
        assertThat(LogicalSlotCopy.segmentStart("history", 16 * 1024 * 1024)).isEmpty();
    }
}
