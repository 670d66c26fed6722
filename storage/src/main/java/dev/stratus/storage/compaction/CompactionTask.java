package dev.stratus.storage.compaction;

import dev.stratus.storage.metadata.ObjectMetadata;

import java.util.Comparator;
import java.util.List;

/**
 * One unit of compaction: objects rewritten together and replaced in one commit.
 *
 * @param kind   why these objects were chosen (the layout rules are the same for every kind)
 * @param inputs the objects to rewrite, in id order
 */
record CompactionTask(Kind kind, List<ObjectMetadata> inputs) {

    enum Kind {
        /** Small stream set objects merged into one (streams reaching the split size leave as stream objects). */
        MERGE_STREAM_SETS,
        /** Consecutive small stream objects of one stream merged into one. */
        MERGE_STREAM_OBJECTS,
        /** A stream set object holding a stream big enough for its own stream object. */
        SPLIT_STREAMS,
        /** An object at least half dead (trimmed or deleted streams) rewritten without the dead data. */
        DROP_DEAD_DATA
    }

    CompactionTask {
        inputs = inputs.stream().sorted(Comparator.comparingLong(ObjectMetadata::objectId)).toList();
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a task needs at least one object");
        }
    }

    long inputBytes() {
        return inputs.stream().mapToLong(ObjectMetadata::sizeBytes).sum();
    }
}
