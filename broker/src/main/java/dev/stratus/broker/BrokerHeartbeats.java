package dev.stratus.broker;

import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.TopicController;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a broker's registration alive: a heartbeat every {@code broker.heartbeat.interval.ms}
 * renews its lease with the controller and reports the broker's load. When the controller answers that the registration is
 * fenced (the broker was paused or cut off past its session timeout), the broker registers
 * again and gets a new epoch; being the same process, it keeps its partitions and their leader
 * epochs (no one led them meanwhile). At shutdown it gives
 * the lease up at once (controlled shutdown). Owns one scheduler thread.
 */
final class BrokerHeartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerHeartbeats.class);

    private final TopicController controller;
    private final BrokerRegistrationRequest registration;
    private final long intervalMs;
    private final LongConsumer newEpoch;
    private final Supplier<BrokerLoad> load;
    private ScheduledExecutorService timer;
    private volatile long epoch;
    private boolean registering;

    /**
     * @param newEpoch told of each registration epoch after the first
     * @param load     what each heartbeat reports
     */
    BrokerHeartbeats(TopicController controller, BrokerRegistrationRequest registration, long epoch, long intervalMs,
                     LongConsumer newEpoch, Supplier<BrokerLoad> load) {
        this.load = load;
        this.controller = controller;
        this.registration = registration;
        this.epoch = epoch;
        this.intervalMs = intervalMs;
        this.newEpoch = newEpoch;
    }

    synchronized void start() {
        if (intervalMs <= 0 || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stratus-broker-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::beat, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        long current = epoch;
        try {
            controller.heartbeat(registration.brokerId(), current, false, load.get()).get(Math.max(intervalMs * 5, 10_000),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            if (cause instanceof MetadataException m && m.code() == MetadataErrorCode.STALE_BROKER_EPOCH) {
                reregister(current, m.getMessage());
            } else {
                LOG.warn("Broker {}: heartbeat failed ({}); retrying", registration.brokerId(), cause == null ? e : cause);
            }
        }
    }

    private void reregister(long fencedEpoch, String why) {
        synchronized (this) {
            if (registering || epoch != fencedEpoch) {
                return;
            }
            registering = true;
        }
        LOG.warn("Broker {}: registration epoch {} is fenced ({}); registering again", registration.brokerId(), fencedEpoch, why);
        try {
            long registered = controller.registerBroker(registration).get(30, TimeUnit.SECONDS);
            epoch = registered;
            LOG.info("Broker {} registered again with epoch {}", registration.brokerId(), registered);
            newEpoch.accept(registered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Broker {}: registering again failed ({}); the next heartbeat retries", registration.brokerId(), e.toString());
        } finally {
            synchronized (this) {
                registering = false;
            }
        }
    }

    /** Stops the heartbeats and, if they ran, gives the lease up so the controller fences this broker now. */
    void shutdown() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = timer;
            timer = null;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            controller.heartbeat(registration.brokerId(), epoch, true, load.get()).get(5, TimeUnit.SECONDS);
            LOG.info("Broker {}: controlled shutdown, the controller fenced epoch {}", registration.brokerId(), epoch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Broker {}: controlled shutdown heartbeat failed ({}); the lease runs out instead",
                    registration.brokerId(), e.toString());
        }
    }
}
