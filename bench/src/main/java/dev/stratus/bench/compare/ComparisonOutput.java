package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Puts a run's results where they belong: always {@code bench/target/compare/results.md} with its
 * plots in {@code bench/target/compare/img}; and, for a complete run, the results region of
 * docs/benchmarks.md with its plots in docs/img. Runs on the harness's main thread.
 */
final class ComparisonOutput {

    private ComparisonOutput() {
    }

    static void write(BenchLayout layout, CompareSettings settings, List<SystemResult> results, double elapsedSeconds,
                      boolean rewriteDocs, String command) throws IOException {
        RunInfo info = RunInfo.of(layout, elapsedSeconds, command);
        Path local = layout.workDir().resolve("results.md");
        ComparisonPlots.drawAll(layout.workDir().resolve("img"), results);
        Files.writeString(local, "# Stratus and Apache Kafka\n\n" + ResultsMarkdown.render(info, settings, results, "img/"));
        System.out.println("results: " + local);
        if (rewriteDocs) {
            ComparisonPlots.drawAll(layout.imageDir(), results);
            DocsRegion.rewrite(layout.benchmarksDoc(), ResultsMarkdown.render(info, settings, results, "img/"));
            System.out.println("rewrote the results in " + layout.benchmarksDoc() + " and the plots in " + layout.imageDir());
        }
    }
}
