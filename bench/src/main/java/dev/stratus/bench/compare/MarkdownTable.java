package dev.stratus.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown table built row by row; {@link #toString()} renders it. Mutable, one thread.
 */
final class MarkdownTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    MarkdownTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row of " + cells.size() + " cells in a table of " + header.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        line(out, header);
        out.append('|');
        header.forEach(h -> out.append("---|"));
        out.append('\n');
        rows.forEach(row -> line(out, row));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append('|');
        cells.forEach(cell -> out.append(' ').append(cell).append(" |"));
        out.append('\n');
    }
}
