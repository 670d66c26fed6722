package dev.stratus.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.metadata.ProducerIdController;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ProducerIdBlocksTest {

    /** A controller that answers only when the test says so, to hold requests in flight. */
    private static final class ManualController implements ProducerIdController {
        final List<CompletableFuture<Long>> requests = new ArrayList<>();
        long next;

        @Override
        public synchronized CompletableFuture<Long> allocateProducerIds(int count) {
            CompletableFuture<Long> request = new CompletableFuture<>();
            requests.add(request);
            return request;
        }

        void answer() {
            CompletableFuture<Long> request;
            synchronized (this) {
                request = requests.remove(0);
            }
            long first = next;
            next += ProducerIdBlocks.BLOCK_SIZE;
            request.complete(first);
        }
    }

    @Test
    void idsComeFromOneControllerRequestPerBlock() {
        ManualController controller = new ManualController();
        ProducerIdBlocks blocks = new ProducerIdBlocks(controller);
        List<CompletableFuture<Long>> ids = new ArrayList<>();
        for (int i = 0; i < ProducerIdBlocks.BLOCK_SIZE + 5; i++) {
            ids.add(blocks.nextProducerId());
        }
        assertThat(controller.requests).hasSize(1);
        controller.answer();
        assertThat(controller.requests).as("the callers beyond the first block ask for a second").hasSize(1);
        controller.answer();

        Set<Long> distinct = new HashSet<>();
        ids.forEach(id -> distinct.add(id.join()));
        assertThat(distinct).hasSize(ProducerIdBlocks.BLOCK_SIZE + 5);
        assertThat(blocks.nextProducerId()).isCompletedWithValue((long) ProducerIdBlocks.BLOCK_SIZE + 5);
    }

    @Test
    void aFailedBlockRequestFailsItsWaitersAndTheNextCallAsksAgain() {
        ManualController controller = new ManualController();
        ProducerIdBlocks blocks = new ProducerIdBlocks(controller);
        CompletableFuture<Long> first = blocks.nextProducerId();
        controller.requests.remove(0).completeExceptionally(new IllegalStateException("journal full"));

        assertThatThrownBy(first::join).isInstanceOf(CompletionException.class);
        CompletableFuture<Long> retry = blocks.nextProducerId();
        controller.answer();
        assertThat(retry).isCompletedWithValue(0L);
    }
}
