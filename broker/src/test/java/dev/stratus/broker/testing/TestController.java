package dev.stratus.broker.testing;

import dev.stratus.metadata.controller.QuorumController;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.log.MemoryMetadataLog;
import java.time.Clock;

/**
 * The real controller over a metadata log in memory, with the node's loader: what a broker
 * test runs against instead of a fake. Test-only.
 */
public final class TestController implements AutoCloseable {

    public final MemoryMetadataLog log;
    public final MetadataLoader loader;
    public final QuorumController controller;

    private TestController(MemoryMetadataLog log, MetadataLoader loader, QuorumController controller) {
        this.log = log;
        this.loader = loader;
        this.controller = controller;
    }

    public static TestController start() {
        MemoryMetadataLog log = new MemoryMetadataLog(1);
        MetadataLoader loader = new MetadataLoader();
        log.start(loader);
        return new TestController(log, loader, new QuorumController(log, loader, Clock.systemUTC()));
    }

    /** The committed image. */
    public MetadataImage image() {
        return loader.image();
    }

    @Override
    public void close() {
        controller.close();
    }
}
