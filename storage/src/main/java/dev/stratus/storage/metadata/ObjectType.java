package dev.stratus.storage.metadata;

/**
 * The two kinds of data object. Both use object format v1; the kind is recorded in metadata
 * and tells compaction how to treat the object.
 */
public enum ObjectType {
    /** Data of many streams, one range per stream: what an upload writes, and small ones merged by compaction. */
    STREAM_SET,
    /** Data of exactly one stream, one range: a stream's large part of an upload, or split out by compaction. */
    STREAM
}
