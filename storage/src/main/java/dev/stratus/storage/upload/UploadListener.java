package dev.stratus.storage.upload;

import dev.stratus.storage.metadata.CommitRange;

import java.util.List;

/** Told (on the upload thread) after an object is committed, before the WAL is trimmed. Must not block. */
@FunctionalInterface
public interface UploadListener {

    void committed(long objectId, List<CommitRange> ranges);
}
