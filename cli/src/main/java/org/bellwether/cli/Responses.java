package org.bellwether.cli;

import org.bellwether.core.Member;

/**
 * How answers of the REST API are reported, in patronictl's words ({@code Success: ...}, {@code Failed: ...} on
 * standard output). One addition: a member whose API does not offer the endpoint at all (404, 405 or 501 to a
 * request Patroni always routes) is told in one sentence as such, since older Bellwether agents have only the
 * read-only endpoints.
 */
final class Responses {
    private Responses() {}

    /** patronictl's {@code check_response}; returns whether the request succeeded. */
    static boolean check(Terminal terminal, RestClient.Response r, Member m, String action, boolean silentSuccess) {
        if (!r.ok()) {
            terminal.echo(failed(r, m, action));
            return false;
        }
        if (!silentSuccess) {
            terminal.echo("Success: " + action + " for member " + m.name());
        }
        return true;
    }

    /** {@code Failed: <action> for member <name>, status code=<n>, (<body>)}, or the endpoint-missing sentence. */
    static String failed(RestClient.Response r, Member m, String action) {
        return notOffered(r)
                ? "Failed: " + action + " for member " + m.name() + ": " + missing(r)
                : "Failed: " + action + " for member " + m.name() + ", status code=" + r.status() + ", (" + body(r)
                        + ")";
    }

    /** Whether the member answered that it has no such endpoint (or not for this method). */
    static boolean notOffered(RestClient.Response r) {
        return r.status() == 404 || r.status() == 405 || r.status() == 501;
    }

    static String missing(RestClient.Response r) {
        return "its REST API does not offer this request (HTTP " + r.status() + ": " + body(r)
                + "); the member may run a version without this endpoint";
    }

    static String body(RestClient.Response r) {
        return r.body().strip();
    }
}
