package dev.stratus.metadata.controller;

import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.log.LocalMetadataLog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The controller of a single node over its local journal, as the server wires it. Test helper. */
final class JournalController implements AutoCloseable {

    final LocalMetadataLog log;
    final MetadataLoader loader;
    final QuorumController controller;

    private JournalController(LocalMetadataLog log, MetadataLoader loader, QuorumController controller) {
        this.log = log;
        this.loader = loader;
        this.controller = controller;
    }

    static JournalController open(Path journal, Clock clock) throws Exception {
        LocalMetadataLog log = LocalMetadataLog.open(1, journal);
        MetadataLoader loader = new MetadataLoader();
        log.start(loader);
        return new JournalController(log, loader, new QuorumController(log, loader, clock));
    }

    /** Registers broker {@code id} at a made-up address. */
    static CompletableFuture<Long> register(QuorumController controller, int id) {
        return controller.registerBroker(new BrokerRegistrationRequest(id, UUID.randomUUID(), "127.0.0.1", 9092 + id, null));
    }

    @Override
    public void close() {
        controller.close();
        log.close();
    }
}
