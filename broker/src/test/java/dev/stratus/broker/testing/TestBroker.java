package dev.stratus.broker.testing;

import dev.stratus.broker.Broker;
import dev.stratus.broker.BrokerConfig;
import dev.stratus.broker.policy.TopicPolicies;
import java.util.function.UnaryOperator;

/** A {@link Broker} on 127.0.0.1, an ephemeral port, and in-memory fakes. Test-only. */
public final class TestBroker implements AutoCloseable {

    public final InMemoryStreamStore store;
    public final TestController controller;
    public final Broker broker;
    public final int port;

    private TestBroker(BrokerConfig config, InMemoryStreamStore store, TestController controller)
            throws InterruptedException {
        this(config, store, controller, TopicPolicies.none());
    }

    private TestBroker(BrokerConfig config, InMemoryStreamStore store, TestController controller, TopicPolicies policies)
            throws InterruptedException {
        this.store = store;
        this.controller = controller;
        broker = new Broker(config, store, controller.controller, controller.controller, controller.loader,
                java.time.Clock.systemUTC(), policies);
        port = broker.start();
    }

    /** A new broker incarnation over this one's storage and controller (call after {@link #stopBroker()}). */
    public TestBroker restart() throws InterruptedException {
        return new TestBroker(broker.config(), store, controller);
    }

    /** Stops the broker but keeps the storage, as a process restart would. */
    public void stopBroker() throws InterruptedException {
        broker.shutdown();
    }

    public static TestBroker start() throws InterruptedException {
        return start(UnaryOperator.identity());
    }

    public static TestBroker start(UnaryOperator<BrokerConfig> customize) throws InterruptedException {
        BrokerConfig config = BrokerConfig.defaults(1, "127.0.0.1", 0, "test-cluster").withThreads(2, 2);
        InMemoryStreamStore store = new InMemoryStreamStore();
        return new TestBroker(customize.apply(config), store, TestController.start());
    }

    /** A broker that asks {@code policies} before creating topics and altering their configs. */
    public static TestBroker start(TopicPolicies policies) throws InterruptedException {
        BrokerConfig config = BrokerConfig.defaults(1, "127.0.0.1", 0, "test-cluster").withThreads(2, 2);
        InMemoryStreamStore store = new InMemoryStreamStore();
        return new TestBroker(config, store, TestController.start(), policies);
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
            controller.close();
        }
    }
}
