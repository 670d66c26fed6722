package dev.stratus.bench.compare;

import java.util.List;

final class ComparisonOutput {
    private ComparisonOutput() {
    }

    static void write(BenchLayout layout, CompareSettings settings, List<SystemResult> results, double elapsedSeconds,
                      boolean rewriteDocs) {
        results.forEach(r -> System.out.println(r));
    }
}
