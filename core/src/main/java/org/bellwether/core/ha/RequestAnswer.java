package org.bellwether.core.ha;

/**
 * What the decision answered to a {@link NodeRequest}. The REST layer turns {@link Result} into Patroni's status
 * codes; {@code message} is the sentence the operator reads.
 */
public record RequestAnswer(long requestId, Result result, String message) {
    public enum Result {
        /** Done within the cycle (a deleted schedule). */
        DONE,
        /** A PostgreSQL operation was started for it; its end is reported when the operation finishes. */
        STARTED,
        /** Recorded to happen later. */
        SCHEDULED,
        /** Not done, and will not be: the message says why. */
        REFUSED,
        /** Not done because something of the same kind is already there (a scheduled restart). */
        CONFLICT,
        /** There was nothing to act on (no scheduled restart to delete). */
        NOT_FOUND
    }

    public static RequestAnswer of(NodeRequest request, Result result, String message) {
        return new RequestAnswer(request.id(), result, message);
    }
}
