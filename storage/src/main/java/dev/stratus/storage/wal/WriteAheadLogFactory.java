package dev.stratus.storage.wal;

import dev.stratus.storage.objects.ObjectStorage;

import java.time.Clock;

/**
 * Builds the WAL a node was configured with, so that the server needs one call whatever
 * {@code wal.type} says. Nothing is started: the storage engine calls {@link WriteAheadLog#start()}.
 *
 * <p>Stateless; safe from any thread.
 */
public final class WriteAheadLogFactory {

    private WriteAheadLogFactory() {
    }

    /**
     * @param fileConfig   settings of the file WAL (used when {@code type} is {@link WalType#FILE})
     * @param objectConfig settings of the object WAL (used when {@code type} is {@link WalType#OBJECT})
     * @param storage      where the object WAL writes; it must support {@link ObjectStorage#putIfAbsent}
     */
    public static WriteAheadLog create(WalType type, WalConfig fileConfig, ObjectWalConfig objectConfig, ObjectStorage storage,
                                       Clock clock) {
        return switch (type) {
            case FILE -> new FileWriteAheadLog(fileConfig);
            case OBJECT -> new ObjectWriteAheadLog(objectConfig, storage, clock);
        };
    }

    /**
     * The WAL through which {@code recovererNodeId} replays a dead node's object WAL: open it in a
     * storage engine of its own, {@code start()} it (which fences the dead node, uploads and
     * commits what it held, and trims it), then {@code shutdown()} it.
     */
    public static ObjectWriteAheadLog recoveryOf(int deadNodeId, ObjectWalConfig recovererConfig, ObjectStorage storage,
                                                 Clock clock) {
        return new ObjectWriteAheadLog(recovererConfig.forWalOf(deadNodeId), storage, clock);
    }
}
