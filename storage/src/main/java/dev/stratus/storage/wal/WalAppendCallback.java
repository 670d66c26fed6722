package dev.stratus.storage.wal;

/**
 * Told when an append is durable (or failed). Runs on the WAL writer thread, in append order,
 * so it must be cheap and must never block (in particular never wait on a future).
 */
@FunctionalInterface
public interface WalAppendCallback {

    /** Exactly one of {@code result} and {@code error} is non-null. */
    void onComplete(WalAppendResult result, Throwable error);
}
