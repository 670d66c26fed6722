package dev.stratus.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An estimated monthly storage bill for one stated workload, at public AWS list prices
 * (us-east-1): Stratus from the request and byte rates it showed in the run, next to a Kafka
 * cluster with 3 replicas on EBS gp3 across 3 availability zones. Compute, the producers' and
 * consumers' own traffic, and support are left out for both: they are alike for the same number
 * of brokers. Immutable.
 */
record CostModel(double ingressMiBPerSecond, int retentionDays, double catchUpReadsPerMonth, int brokers,
                 double diskFillFraction, Prices prices) {

    /** $ per unit, as published for S3 Standard, EBS gp3 and data transfer between availability zones. */
    record Prices(double s3PutPerThousand, double s3GetPerThousand, double s3StoragePerGiBMonth,
                  double ebsGp3PerGiBMonth, double interZonePerGiBEachWay) {

        static Prices awsListPrices() {
            return new Prices(0.005, 0.0004, 0.023, 0.08, 0.01);
        }
    }

    /** One line of a bill. */
    record Item(String what, double dollars) {
    }

    static final double SECONDS_PER_MONTH = 30 * 24 * 3600;

    static CostModel statedWorkload() {
        return new CostModel(10, 7, 1.0, 3, 0.7, Prices.awsListPrices());
    }

    double ingressGiBPerMonth() {
        return ingressMiBPerSecond * SECONDS_PER_MONTH / 1024;
    }

    double retainedGiB() {
        return ingressMiBPerSecond * retentionDays * 24 * 3600 / 1024;
    }

    String describe() {
        return String.format(Locale.ROOT, "%.0f MiB/s produced on average (%,.0f GiB a month), kept %d days (%,.0f GiB "
                        + "retained), consumers at the tail plus catch-up reads of %.0f× the month's data from object "
                        + "storage, on %d brokers in 3 availability zones", ingressMiBPerSecond, ingressGiBPerMonth(),
                retentionDays, retainedGiB(), catchUpReadsPerMonth, brokers);
    }

    /** Kafka, replication factor 3: every byte on three EBS volumes, two of them in other zones. */
    List<Item> kafka() {
        double provisionedGiB = retainedGiB() * 3 / diskFillFraction;
        return List.of(
                new Item(String.format(Locale.ROOT, "EBS gp3: %,.0f GiB retained × 3 replicas, disks %.0f%% full", retainedGiB(),
                        diskFillFraction * 100), provisionedGiB * prices.ebsGp3PerGiBMonth()),
                new Item("replication to 2 other zones (out + in)",
                        ingressGiBPerMonth() * 2 * 2 * prices.interZonePerGiBEachWay()));
    }

    /**
     * Stratus at the request and byte rates one run measured; the object WAL's PUTs from its
     * interval (one object per interval per broker that is busy the whole month).
     */
    List<Item> stratus(StorageFigures figures, long walObjectIntervalMs) {
        List<Item> items = new ArrayList<>();
        items.add(new Item(String.format(Locale.ROOT, "S3 storage: %,.0f GiB retained × %.2f bytes stored per byte produced",
                retainedGiB(), figures.uploadBytesPerByteProduced()),
                retainedGiB() * figures.uploadBytesPerByteProduced() * prices.s3StoragePerGiBMonth()));
        items.add(new Item(String.format(Locale.ROOT, "S3 PUT for uploads: %.1f per GiB produced", figures.uploadPutsPerGiBProduced()),
                ingressGiBPerMonth() * figures.uploadPutsPerGiBProduced() / 1000 * prices.s3PutPerThousand()));
        items.add(new Item(String.format(Locale.ROOT, "S3 GET for catch-up reads: %.1f per GiB read", figures.getsPerGiBRead()),
                ingressGiBPerMonth() * catchUpReadsPerMonth * figures.getsPerGiBRead() / 1000 * prices.s3GetPerThousand()));
        if (figures.objectWal()) {
            double walPutsPerSecond = 1000.0 / walObjectIntervalMs;
            items.add(new Item(String.format(Locale.ROOT, "S3 PUT for WAL objects: %.0f per second per busy broker × %d",
                    walPutsPerSecond, brokers), walPutsPerSecond * brokers * SECONDS_PER_MONTH / 1000 * prices.s3PutPerThousand()));
            double walReadsPerGiB = figures.walReads() / figures.producedGiB();
            items.add(new Item(String.format(Locale.ROOT, "S3 GET for WAL objects read back: %.1f per GiB produced", walReadsPerGiB),
                    ingressGiBPerMonth() * walReadsPerGiB / 1000 * prices.s3GetPerThousand()));
        } else {
            items.add(new Item(String.format(Locale.ROOT, "EBS gp3 for the WAL: 2 GiB × %d brokers", brokers),
                    2.0 * brokers * prices.ebsGp3PerGiBMonth()));
        }
        return items;
    }

    static double total(List<Item> items) {
        return items.stream().mapToDouble(Item::dollars).sum();
    }
}
