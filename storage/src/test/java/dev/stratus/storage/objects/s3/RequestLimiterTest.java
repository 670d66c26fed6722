package dev.stratus.storage.objects.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The in-flight bound with requests that complete when the test says so; waiters start on a direct dispatcher. */
class RequestLimiterTest {

    private final RequestLimiter limiter = new RequestLimiter(2, 1, Runnable::run);
    private final List<CompletableFuture<String>> sent = new ArrayList<>();

    private CompletableFuture<String> submit() {
        return limiter.run(() -> {
            CompletableFuture<String> request = new CompletableFuture<>();
            sent.add(request);
            return request;
        });
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return ObjectStorageException.unwrap(e);
        }
    }

    @Test
    void aFreedPermitStartsTheNextWaiterAndAFullLineTurnsRequestsAway() {
        CompletableFuture<String> first = submit();
        CompletableFuture<String> second = submit();
        CompletableFuture<String> waiting = submit();
        CompletableFuture<String> turnedAway = submit();

        assertThat(sent).hasSize(2);
        assertThat(limiter.inflight()).isEqualTo(2);
        assertThat(limiter.waiting()).isEqualTo(1);
        Throwable overloaded = failure(turnedAway);
        assertThat(overloaded).isInstanceOf(RequestLimiter.Overloaded.class);
        assertThat(ObjectStorageException.kindOf(overloaded)).isEqualTo(ObjectStorageErrorKind.RETRIABLE);

        sent.get(0).complete("a");
        assertThat(first.join()).isEqualTo("a");
        assertThat(sent).hasSize(3);
        assertThat(limiter.inflight()).isEqualTo(2);
        assertThat(limiter.waiting()).isZero();

        sent.get(1).completeExceptionally(new IllegalStateException("failed"));
        assertThat(failure(second)).isInstanceOf(IllegalStateException.class);
        sent.get(2).complete("c");
        assertThat(waiting.join()).isEqualTo("c");
        assertThat(limiter.inflight()).isZero();
        assertThat(limiter.peakInflight()).isEqualTo(2);
    }

    @Test
    void closingFailsWaitersAndRefusesNewRequests() {
        submit();
        submit();
        CompletableFuture<String> waiting = submit();
        limiter.close();

        assertThat(ObjectStorageException.kindOf(failure(waiting))).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
        assertThat(failure(submit())).hasMessageContaining("closed");
        sent.forEach(request -> request.complete("late"));
        assertThat(limiter.inflight()).isZero();
    }
}
