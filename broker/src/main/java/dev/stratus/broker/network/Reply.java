package dev.stratus.broker.network;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * What a connection does once a request is handled: send a response, send nothing (Produce
 * with acks=0), or close the connection (Kafka's way of reporting an acks=0 failure or a broken
 * request).
 */
public sealed interface Reply {

    /** A response body encoded at {@code version} with the header version that version implies. */
    record Respond(ApiKeys apiKey, short version, ApiMessage body) implements Reply {
    }

    /** Nothing goes back to the client. */
    record NoResponse() implements Reply {
    }

    /** Close the connection once every earlier response has been written. */
    record Close(String reason) implements Reply {
    }

    static Reply respond(ApiKeys apiKey, short version, ApiMessage body) {
        return new Respond(apiKey, version, body);
    }

    static Reply none() {
        return new NoResponse();
    }

    static Reply close(String reason) {
        return new Close(reason);
    }
}
