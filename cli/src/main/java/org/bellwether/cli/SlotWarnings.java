package org.bellwether.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * What a member's {@code GET /patroni} says about its replication slots, as sentences for {@code list}: each slot
 * Bellwether leaves alone (Patroni would have dropped it, so it may hold WAL back unnoticed), and copies of logical
 * slots not yet safe to use after a failover. A body without these fields, from Patroni or from a member with nothing
 * to report, gives none, and so does one that is not JSON.
 */
final class SlotWarnings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlotWarnings() {}

    static List<String> of(String patroniBody) {
        JsonNode status;
        try {
            status = JSON.readTree(patroniBody);
        } catch (JsonProcessingException e) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (status == null) {
            return out;
        }
        for (JsonNode slot : status.path("unmanaged_slots")) {
            out.add("replication slot " + slot.path("name").asText("?") + " ("
                    + slot.path("type").asText("?")
                    + ") is not managed by Bellwether and is left alone; it retains "
                    + slot.path("retained_wal_bytes").asLong(0) + " bytes of WAL");
        }
        List<String> notReady = new ArrayList<>();
        status.path("logical_slots").path("not_ready").forEach(name -> notReady.add(name.asText()));
        if (!notReady.isEmpty()) {
            out.add("logical slot" + (notReady.size() == 1 ? " " : "s ") + String.join(", ", notReady)
                    + " not yet safe to use after a failover to this member");
        }
        return out;
    }
}
