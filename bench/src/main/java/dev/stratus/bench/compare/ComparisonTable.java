package dev.stratus.bench.compare;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * A table with one row per metric and one column per system, each Stratus figure followed by
 * its ratio to Kafka and to Kafka with fsync from the same run. A system that was not run, or a
 * phase that failed, shows a dash. Mutable while rows are added; one thread.
 */
final class ComparisonTable {

    /** Reads one figure from a system's results; NaN when it is missing. */
    interface Extractor extends ToDoubleFunction<SystemResult> {
    }

    private final Map<SystemUnderTest, SystemResult> results = new EnumMap<>(SystemUnderTest.class);
    private final MarkdownTable table;

    ComparisonTable(List<SystemResult> results, String metricHeader) {
        results.forEach(r -> this.results.put(r.system(), r));
        this.table = new MarkdownTable(List.of(metricHeader, SystemUnderTest.KAFKA.label(), SystemUnderTest.KAFKA_FSYNC.label(),
                SystemUnderTest.STRATUS_FILE_WAL.label(), "÷ Kafka", "÷ Kafka fsync",
                SystemUnderTest.STRATUS_OBJECT_WAL.label(), "÷ Kafka", "÷ Kafka fsync"));
    }

    ComparisonTable row(String metric, Extractor extractor, DoubleFunction<String> format) {
        double kafka = value(SystemUnderTest.KAFKA, extractor);
        double kafkaFsync = value(SystemUnderTest.KAFKA_FSYNC, extractor);
        double file = value(SystemUnderTest.STRATUS_FILE_WAL, extractor);
        double object = value(SystemUnderTest.STRATUS_OBJECT_WAL, extractor);
        List<String> cells = new ArrayList<>(List.of(metric, format.apply(kafka), format.apply(kafkaFsync),
                format.apply(file), Figures.ratio(file, kafka), Figures.ratio(file, kafkaFsync),
                format.apply(object), Figures.ratio(object, kafka), Figures.ratio(object, kafkaFsync)));
        table.row(cells);
        return this;
    }

    private double value(SystemUnderTest system, Extractor extractor) {
        SystemResult result = results.get(system);
        if (result == null) {
            return Double.NaN;
        }
        try {
            return extractor.applyAsDouble(result);
        } catch (NullPointerException e) {
            return Double.NaN; // the phase failed or was not run
        }
    }

    @Override
    public String toString() {
        return table.toString();
    }
}
