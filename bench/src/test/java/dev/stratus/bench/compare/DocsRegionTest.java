package dev.stratus.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A run rewrites only what lies between the markers of docs/benchmarks.md. */
class DocsRegionTest {

    @Test
    void replacesOnlyTheMarkedRegion() {
        String doc = "# Benchmarks\n\nhand-written method\n\n" + DocsRegion.BEGIN + "\nold results\n" + DocsRegion.END
                + "\n\nhand-written findings\n";

        String rewritten = DocsRegion.replace(doc, "new results\n\n");

        assertThat(rewritten).isEqualTo("# Benchmarks\n\nhand-written method\n\n" + DocsRegion.BEGIN + "\nnew results\n"
                + DocsRegion.END + "\n\nhand-written findings\n");
        assertThat(DocsRegion.replace(rewritten, "new results")).isEqualTo(rewritten);
    }

    @Test
    void refusesADocumentWithoutMarkers() {
        assertThatThrownBy(() -> DocsRegion.replace("# Benchmarks\n", "results"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("markers");
    }
}
