package org.bellwether.agent.rest;

/** Answers one request. May throw {@link HttpError} for a refusal; anything else becomes a logged 500. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
