package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestBroker;
import java.net.ConnectException;
import java.net.Socket;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

    @Test
    void shutdownAnswersWaitingFetchesClosesEveryPartitionStreamAndStopsListening() throws Exception {
        TestBroker broker = TestBroker.start();
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("drained", 3));
            client.roundTrip(Requests.produce("drained", 1, MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord("v".getBytes())), (short) -1));
            RequestHeader fetch = client.send(Requests.fetch("drained", 0, 0, 1, 30_000));
            Thread.sleep(200);

            long start = System.nanoTime();
            Thread stopper = new Thread(broker::close);
            stopper.start();
            FetchResponse response = client.receive(fetch);
            assertThat(response.data().responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
            stopper.join(10_000);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        }
        // Each of the three partitions closes its data stream and its checkpoint stream.
        assertThat(broker.store.closes.get()).isEqualTo(6);
        boolean refused;
        try {
            new Socket("127.0.0.1", broker.port).close();
            refused = false;
        } catch (ConnectException e) {
            refused = true;
        }
        assertThat(refused).isTrue();
    }
}
