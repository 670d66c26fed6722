package dev.stratus.broker.api;

import dev.stratus.metadata.image.BrokerRegistration;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The brokers a client is told about: every registered, unfenced broker of the image, by id,
 * this node among them with the address it listens on now (its registration may predate an
 * ephemeral port). A single node that has not registered yet still lists itself. Stateless.
 */
public final class LiveBrokers {

    public record Endpoint(int id, String host, int port, String rack) {
    }

    private LiveBrokers() {
    }

    public static List<Endpoint> of(MetadataImage image, int selfId, String selfHost, int selfPort, String selfRack) {
        List<Endpoint> brokers = new ArrayList<>();
        boolean selfListed = false;
        for (BrokerRegistration broker : image.brokers().all()) {
            if (broker.brokerId() == selfId) {
                brokers.add(new Endpoint(selfId, selfHost, selfPort, selfRack));
                selfListed = true;
            } else if (!broker.fenced() && broker.port() > 0) {
                brokers.add(new Endpoint(broker.brokerId(), broker.host(), broker.port(), broker.rack()));
            }
        }
        if (!selfListed) {
            brokers.add(0, new Endpoint(selfId, selfHost, selfPort, selfRack));
        }
        return brokers;
    }
}
