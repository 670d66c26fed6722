package dev.stratus.metadata;

import java.util.UUID;

/**
 * What a broker says about itself when it registers: its id, a random id of this process start
 * (the incarnation), where clients reach it, and its rack (null for none).
 */
public record BrokerRegistrationRequest(int brokerId, UUID incarnationId, String host, int port, String rack) {
}
