package dev.stratus.broker.testing;

import dev.stratus.broker.Broker;
import dev.stratus.broker.BrokerConfig;
import java.util.function.UnaryOperator;

/** A {@link Broker} on 127.0.0.1, an ephemeral port, and in-memory fakes. Test-only. */
public final class TestBroker implements AutoCloseable {

    public final InMemoryStreamStore store = new InMemoryStreamStore();
    public final FakeTopicController controller = new FakeTopicController(store);
    public final Broker broker;
    public final int port;

    private TestBroker(BrokerConfig config) throws InterruptedException {
        broker = new Broker(config, store, controller);
        port = broker.start();
    }

    public static TestBroker start() throws InterruptedException {
        return start(UnaryOperator.identity());
    }

    public static TestBroker start(UnaryOperator<BrokerConfig> customize) throws InterruptedException {
        BrokerConfig config = BrokerConfig.defaults(1, "127.0.0.1", 0, "test-cluster").withThreads(2, 2);
        return new TestBroker(customize.apply(config));
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            broker.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            store.close();
        }
    }
}
