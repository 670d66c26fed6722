package dev.stratus.broker.fetch;

/**
 * What a Fetch asks of one partition: where to read and how much. Taken from the request for
 * full fetches and from the session's cached state for incremental ones. Immutable; any thread.
 */
record PartitionFetch(PartitionKey key, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
}
