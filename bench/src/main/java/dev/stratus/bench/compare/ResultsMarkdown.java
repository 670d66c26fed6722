package dev.stratus.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Writes a run's results as Markdown: how it ran (date, command, versions, machine, who else used
 * the CPU), the systems, then one table per question (latency at fixed rates, throughput and
 * catch-up, CPU/memory/disk, Stratus' storage requests, the monthly bill), each Stratus figure
 * with its ratios to Kafka from the same run, and the plots. Stateless.
 */
final class ResultsMarkdown {

    private static final double GB = 1e9;
    /** wal.object.interval.ms of the object WAL run: the default of config/server.properties. */
    private static final long OBJECT_WAL_INTERVAL_MS = 250;

    private ResultsMarkdown() {
    }

    static String render(RunInfo info, CompareSettings settings, List<SystemResult> results, String imagePrefix) {
        StringBuilder md = new StringBuilder();
        run(md, info, settings, results);
        fixedRates(md, settings, results, imagePrefix);
        throughput(md, settings, results, imagePrefix);
        resources(md, results);
        storage(md, results);
        cost(md, results);
        failures(md, results);
        return md.toString();
    }

    private static void run(StringBuilder md, RunInfo info, CompareSettings settings, List<SystemResult> results) {
        md.append("### Run\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s by `%s` in %.1f minutes%s, Stratus `%s`, Apache Kafka %s "
                        + "(`kafka_2.13` from Maven Central), s3proxy %s (inside the harness JVM, objects on local disk).%n%n",
                info.date(), info.command(), info.elapsedSeconds() / 60, settings.quick() ? " (QUICK MODE: shortened phases)" : "",
                info.stratusCommit(), info.kafkaVersion(), info.s3proxyVersion()));
        md.append("Machine: ").append(info.machine().oneLine()).append(".\n\n");
        md.append(String.format(Locale.ROOT, "Workloads: %d-byte records, %d partitions, one producer (acks=all, idempotent, "
                        + "batch.size %d KiB, linger.ms 5, no compression) and consumers without a group; %d s of warm-up "
                        + "per server, then for each fixed rate %d s of warm-up and %d s measured; maximum produce for up "
                        + "to %d s or %d MiB; catch-up read of that backlog while producing %d MB/s.%n%n",
                settings.recordBytes(), settings.partitions(), ClientConfigs.BATCH_BYTES >> 10, settings.serverWarmupSeconds(),
                settings.warmupSeconds(), settings.measureSeconds(), settings.maxProduceSeconds(),
                settings.maxProduceBytes() >> 20, settings.catchUpRateMBps()));
        MarkdownTable systems = new MarkdownTable(List.of("system", "a produce is acknowledged after",
                "measured for", "server CPU", "harness CPU (clients, s3proxy)", "other processes' CPU",
                "kernel CPU charged to no process"));
        for (SystemResult result : results) {
            SystemResult.Load load = result.load();
            systems.row(List.of(result.system().label(), result.system().durability(),
                    load == null ? Figures.MISSING : Figures.number(load.seconds(), 0) + " s",
                    result.whole() == null ? Figures.MISSING : Figures.number(result.whole().cpuSeconds(), 0) + " s",
                    load == null ? Figures.MISSING : Figures.number(load.harnessCpuSeconds(), 0) + " s",
                    load == null ? Figures.MISSING : Figures.number(load.otherCpuSeconds(), 0) + " s",
                    load == null ? Figures.MISSING : Figures.number(load.kernelOtherCpuSeconds(), 0) + " s"));
        }
        md.append(systems).append('\n');
        md.append("The machine has 2 cores for everything: the server, the clients and (for Stratus) s3proxy. "
                + "\"Other processes\" is user-space CPU that none of them used (other builds on the same machine): the "
                + "larger it is, the noisier that system's figures. Kernel CPU charged to no process is mostly work done "
                + "for the run outside its processes (loopback networking in softirq, page-cache writeback).\n\n");
    }

    private static void fixedRates(StringBuilder md, CompareSettings settings, List<SystemResult> results, String images) {
        md.append("### Latency at fixed rates\n\n");
        md.append("Produce latency runs from the moment a record was due to be sent (open loop, no coordinated omission) "
                + "to its acknowledgement; end-to-end latency from the same moment to the consumer's `poll` returning it. "
                + "Ratios are Stratus ÷ Kafka: below 1, Stratus is faster.\n\n");
        md.append("![produce latency](").append(images).append(ComparisonPlots.PRODUCE_LATENCY).append(")\n");
        md.append("![end-to-end latency](").append(images).append(ComparisonPlots.END_TO_END_LATENCY).append(")\n\n");
        ComparisonTable table = new ComparisonTable(results, "rate, metric");
        for (int rate : settings.ratesMBps()) {
            String at = rate + " MB/s";
            table.row("**" + at + "** achieved", r -> r.atRate(rate).produce().megabytesPerSecond(), Figures::megabytesPerSecond);
            latencyRows(table, at + " produce", r -> r.atRate(rate).produce().latency());
            latencyRows(table, at + " end-to-end", r -> r.atRate(rate).endToEnd().latency());
            table.row(at + " server CPU s per GB moved", r -> r.atRate(rate).resources().cpuSecondsPerGigabyte(),
                    v -> Figures.number(v, 1));
        }
        md.append(table).append('\n');
    }

    private static void latencyRows(ComparisonTable table, String prefix, java.util.function.Function<SystemResult, LatencySummary> of) {
        table.row(prefix + " p50", r -> of.apply(r).p50Ms(), Figures::millis);
        table.row(prefix + " p99", r -> of.apply(r).p99Ms(), Figures::millis);
        table.row(prefix + " p99.9", r -> of.apply(r).p999Ms(), Figures::millis);
        table.row(prefix + " max", r -> of.apply(r).maxMs(), Figures::millis);
    }

    private static void throughput(StringBuilder md, CompareSettings settings, List<SystemResult> results, String images) {
        md.append("### Maximum throughput and catch-up read\n\n");
        md.append("One producer as fast as it can; then one consumer reading that backlog from the beginning with nothing "
                + "else running; then the same read again while the producer keeps " + settings.catchUpRateMBps()
                + " MB/s. Kafka serves every read from the page cache (the machine's RAM holds the whole backlog); Stratus "
                + "serves what its log cache no longer holds from object storage. Ratios above 1: Stratus is faster.\n\n");
        md.append("![throughput](").append(images).append(ComparisonPlots.THROUGHPUT).append(")\n\n");
        ComparisonTable table = new ComparisonTable(results, "metric");
        table.row("maximum produce", r -> r.maxProduce().produce().megabytesPerSecond(), Figures::megabytesPerSecond);
        table.row("… its produce p99", r -> r.maxProduce().produce().latency().p99Ms(), Figures::millis);
        table.row("… server CPU s per GB", r -> r.maxProduce().resources().cpuSecondsPerGigabyte(), v -> Figures.number(v, 1));
        table.row("maximum consume (backlog)", r -> r.maxConsume().read().megabytesPerSecond(), Figures::megabytesPerSecond);
        table.row("… server CPU s per GB", r -> r.maxConsume().resources().cpuSecondsPerGigabyte(), v -> Figures.number(v, 1));
        table.row("catch-up read while producing", r -> r.catchUp().read().megabytesPerSecond(), Figures::megabytesPerSecond);
        table.row("… producer p50 before the catch-up", r -> r.catchUp().before().latency().p50Ms(), Figures::millis);
        table.row("… producer p50 during the catch-up", r -> r.catchUp().during().latency().p50Ms(), Figures::millis);
        table.row("… producer p99 before the catch-up", r -> r.catchUp().before().latency().p99Ms(), Figures::millis);
        table.row("… producer p99 during the catch-up", r -> r.catchUp().during().latency().p99Ms(), Figures::millis);
        table.row("… producer p99.9 during the catch-up", r -> r.catchUp().during().latency().p999Ms(), Figures::millis);
        table.row("… server CPU s per GB", r -> r.catchUp().resources().cpuSecondsPerGigabyte(), v -> Figures.number(v, 1));
        md.append(table).append('\n');
        List<String> unfinished = new ArrayList<>();
        for (SystemResult result : results) {
            if (result.maxConsume() != null && !result.maxConsume().read().finished()
                    || result.catchUp() != null && !result.catchUp().read().finished()) {
                unfinished.add(result.system().label());
            }
        }
        if (!unfinished.isEmpty()) {
            md.append("Reads that did not reach the end within ").append(settings.readTimeoutSeconds())
                    .append(" s (throughput over what was read): ").append(String.join(", ", unfinished)).append(".\n\n");
        }
    }

    /** The servers' heap of this run, as the JVM flag spells it. */
    private static String heap() {
        return System.getProperty(SystemNode.SERVER_HEAP_PROPERTY, SystemNode.DEFAULT_SERVER_HEAP);
    }

    private static void resources(StringBuilder md, List<SystemResult> results) {
        md.append("### CPU, memory and local disk over the whole run\n\n");
        md.append("From `/proc/<pid>` of the server process, from ready to stop: CPU is utime + stime; memory is the "
                + "peak resident set (VmHWM; both JVMs run with `-Xms" + heap() + " -Xmx" + heap() + "` and G1, so it is mostly heap and "
                + "does not grow with the bytes moved); disk is `write_bytes` of `/proc/<pid>/io` (counted when pages "
                + "are dirtied, so Kafka's page-cache writes count).\n\n");
        ComparisonTable table = new ComparisonTable(results, "metric");
        table.row("value GB moved (produced + consumed)", r -> (r.producedBytes() + r.tailReadBytes() + r.backlogReadBytes()) / GB,
                v -> Figures.number(v, 1));
        table.row("server CPU seconds", r -> r.whole().cpuSeconds(), v -> Figures.number(v, 0));
        table.row("server CPU seconds per GB moved", r -> r.whole().cpuSeconds()
                / ((r.producedBytes() + r.tailReadBytes() + r.backlogReadBytes()) / GB), v -> Figures.number(v, 1));
        table.row("peak resident memory (VmHWM)", r -> (double) r.whole().peakRssBytes(), Figures::mebibytes);
        table.row("local disk bytes written per byte produced", r -> r.whole().diskWriteBytes() / (double) r.producedBytes(),
                v -> Figures.number(v, 2));
        md.append(table).append('\n');
    }

    private static void storage(StringBuilder md, List<SystemResult> results) {
        md.append("### Stratus storage: requests and bytes per byte moved\n\n");
        md.append("From the storage usage line Stratus logs at its graceful shutdown (object storage calls as the S3 "
                + "client counted them, every multipart part and retry included; the object WAL's objects, written and "
                + "read back, separated from the uploads' objects). Over the whole run, shutdown upload included.\n\n");
        MarkdownTable table = new MarkdownTable(List.of("metric", SystemUnderTest.STRATUS_FILE_WAL.label(),
                SystemUnderTest.STRATUS_OBJECT_WAL.label()));
        StorageFigures file = figures(results, SystemUnderTest.STRATUS_FILE_WAL);
        StorageFigures object = figures(results, SystemUnderTest.STRATUS_OBJECT_WAL);
        storageRow(table, "GiB produced", file, object, StorageFigures::producedGiB, 2);
        storageRow(table, "GiB read from the backlog (catch-up reads)", file, object, StorageFigures::backlogReadGiB, 2);
        storageRow(table, "WAL bytes per byte produced", file, object, StorageFigures::walBytesPerByteProduced, 2);
        storageRow(table, "WAL durable writes (fsyncs / WAL objects)", file, object, f -> f.walWrites(), 0);
        storageRow(table, "… per second measured", file, object, StorageFigures::walWritesPerSecond, 1);
        storageRow(table, "object storage bytes uploaded per byte produced", file, object,
                StorageFigures::uploadBytesPerByteProduced, 2);
        storageRow(table, "PUT requests per GiB produced (uploads)", file, object, StorageFigures::uploadPutsPerGiBProduced, 1);
        storageRow(table, "GET requests per GiB read from the backlog", file, object, StorageFigures::getsPerGiBRead, 1);
        storageRow(table, "GET bytes per byte read from the backlog", file, object, StorageFigures::getBytesPerByteRead, 2);
        storageRow(table, "WAL objects read back (GETs)", file, object, f -> f.walReads(), 0);
        storageRow(table, "… bytes per byte produced", file, object, StorageFigures::walReadBytesPerByteProduced, 2);
        storageRow(table, "LIST requests", file, object, f -> f.listCalls(), 0);
        storageRow(table, "DELETE requests", file, object, f -> f.deleteCalls(), 0);
        storageRow(table, "local disk bytes written per byte produced", file, object,
                StorageFigures::localDiskBytesPerByteProduced, 2);
        md.append(table).append('\n');
    }

    private static void storageRow(MarkdownTable table, String metric, StorageFigures file, StorageFigures object,
                                   ToDoubleFunction<StorageFigures> value, int decimals) {
        table.row(List.of(metric, file == null ? Figures.MISSING : Figures.number(value.applyAsDouble(file), decimals),
                object == null ? Figures.MISSING : Figures.number(value.applyAsDouble(object), decimals)));
    }

    private static void cost(StringBuilder md, List<SystemResult> results) {
        CostModel model = CostModel.statedWorkload();
        CostModel.Prices prices = model.prices();
        md.append("### Estimated monthly storage bill\n\n");
        md.append("Workload: ").append(model.describe()).append(". ");
        md.append(String.format(Locale.ROOT, "Prices (AWS list, us-east-1): S3 Standard PUT $%.3f and GET $%.4f per 1,000 "
                        + "requests, storage $%.3f per GB-month; EBS gp3 $%.2f per GB-month; data between availability zones "
                        + "$%.2f per GB each way. Stratus' request rates are this run's; compute, client traffic and "
                        + "support are left out on both sides (3 brokers each).%n%n", prices.s3PutPerThousand(),
                prices.s3GetPerThousand(), prices.s3StoragePerGiBMonth(), prices.ebsGp3PerGiBMonth(),
                prices.interZonePerGiBEachWay()));
        MarkdownTable table = new MarkdownTable(List.of("system", "line", "$ per month"));
        List<CostModel.Item> kafka = model.kafka();
        kafka.forEach(item -> table.row(List.of("Kafka, 3 replicas on EBS", item.what(), Figures.dollars(item.dollars()))));
        table.row(List.of("**Kafka, 3 replicas on EBS**", "**total**", "**" + Figures.dollars(CostModel.total(kafka)) + "**"));
        for (SystemUnderTest system : List.of(SystemUnderTest.STRATUS_FILE_WAL, SystemUnderTest.STRATUS_OBJECT_WAL)) {
            StorageFigures figures = figures(results, system);
            if (figures == null) {
                continue;
            }
            List<CostModel.Item> items = model.stratus(figures, OBJECT_WAL_INTERVAL_MS);
            items.forEach(item -> table.row(List.of(system.label(), item.what(), Figures.dollars(item.dollars()))));
            double total = CostModel.total(items);
            table.row(List.of("**" + system.label() + "**", "**total** (" + Figures.ratio(total, CostModel.total(kafka))
                    + " Kafka's)", "**" + Figures.dollars(total) + "**"));
        }
        md.append(table).append('\n');
    }

    private static void failures(StringBuilder md, List<SystemResult> results) {
        List<String> lines = new ArrayList<>();
        for (SystemResult result : results) {
            result.failures().forEach(f -> lines.add("- " + result.system().label() + ": " + f));
        }
        if (!lines.isEmpty()) {
            md.append("### Failures in this run\n\n").append(String.join("\n", lines)).append("\n\n");
        }
    }

    private static StorageFigures figures(List<SystemResult> results, SystemUnderTest system) {
        return results.stream().filter(r -> r.system() == system).findFirst().map(StorageFigures::of).orElse(null);
    }
}
