package dev.stratus.metadata.log;

import dev.stratus.metadata.record.MetadataRecord;
import java.util.List;

/**
 * What a {@link MetadataLog} tells its node: committed batches, in log order, each exactly
 * once, and whole snapshots that replace everything before them. Called on the log's one apply
 * thread.
 */
public interface MetadataLogListener {

    /** The batch at {@code offset} is committed. */
    void onCommit(long offset, List<MetadataRecord> records);

    /** The state as of {@code offset} is {@code records} replayed onto nothing (a snapshot was loaded). */
    void onSnapshot(long offset, List<MetadataRecord> records);

    /**
     * What the listener has applied so far, as records that rebuild it: what a log that keeps
     * snapshots writes into one. Called on the apply thread, between commits.
     */
    List<MetadataRecord> snapshot();
}
