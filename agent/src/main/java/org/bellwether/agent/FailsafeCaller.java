package org.bellwether.agent;

import java.util.List;
import java.util.Map;

/** Sends a primary's {@code POST /failsafe} to other members; the production one is the peer REST client. */
@FunctionalInterface
public interface FailsafeCaller {
    /**
     * Posts {@code body} to each member's REST API ({@code name -> api_url}) in parallel.
     *
     * @return the members that did not acknowledge (no {@code 200} in time, after one retry)
     */
    List<String> post(Map<String, String> apiUrls, String body);

    /** For loops that never run in failsafe mode: nobody acknowledges. */
    FailsafeCaller NONE = (urls, body) -> List.copyOf(urls.keySet());
}
