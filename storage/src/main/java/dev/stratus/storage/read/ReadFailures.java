package dev.stratus.storage.read;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Waits for a storage future on a catch-up read thread and sorts its failure: a
 * {@link StreamException} passes through with its code (corruption stays {@code UNEXPECTED});
 * anything else from object storage or metadata becomes the retriable {@code STORAGE_UNAVAILABLE},
 * because the same read may work a moment later. Stateless.
 */
final class ReadFailures {

    private ReadFailures() {
    }

    static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof StreamException streamError) {
                throw streamError;
            }
            throw new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, what + " failed: " + cause, cause);
        }
    }
}
