package dev.stratus.storage.compaction;

/**
 * What one compaction round did.
 *
 * @param tasks            compaction tasks committed
 * @param failedTasks      tasks that failed (their inputs stay as they were; outputs become orphans)
 * @param objectsCompacted input objects replaced
 * @param objectsWritten   output objects committed
 * @param bytesRead        bytes read from object storage by tasks
 * @param bytesWritten     bytes written to object storage by tasks
 * @param markedDead       objects marked because they held no live data
 * @param markedOrphans    ids marked because they were written but never committed
 * @param deleted          marked objects deleted from object storage and forgotten
 */
public record RoundReport(int tasks, int failedTasks, int objectsCompacted, int objectsWritten, long bytesRead,
                          long bytesWritten, int markedDead, int markedOrphans, int deleted) {
}
