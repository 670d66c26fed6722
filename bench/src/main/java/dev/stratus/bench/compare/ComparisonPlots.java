package dev.stratus.bench.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the comparison's PNG plots with JFreeChart: produce and end-to-end latency percentiles
 * against the fixed rates (log scale, one panel per percentile), and the throughputs (maximum
 * produce, maximum consume, catch-up read). Each system keeps one colour in every plot. Stateless.
 */
final class ComparisonPlots {

    static final String PRODUCE_LATENCY = "compare-produce-latency.png";
    static final String END_TO_END_LATENCY = "compare-e2e-latency.png";
    static final String THROUGHPUT = "compare-throughput.png";

    private static final Map<SystemUnderTest, Color> COLOURS = Map.of(
            SystemUnderTest.KAFKA, new Color(0x4C, 0x72, 0xB0),
            SystemUnderTest.KAFKA_FSYNC, new Color(0x1B, 0x2A, 0x4A),
            SystemUnderTest.STRATUS_FILE_WAL, new Color(0xDD, 0x84, 0x52),
            SystemUnderTest.STRATUS_OBJECT_WAL, new Color(0x55, 0xA8, 0x68));

    private static final Map<SystemUnderTest, Shape> SHAPES = Map.of(
            SystemUnderTest.KAFKA, new Rectangle2D.Double(-4, -4, 8, 8),
            SystemUnderTest.KAFKA_FSYNC, new Ellipse2D.Double(-4, -4, 8, 8),
            SystemUnderTest.STRATUS_FILE_WAL, ShapeUtils.createUpTriangle(5),
            SystemUnderTest.STRATUS_OBJECT_WAL, ShapeUtils.createDiamond(5));

    private ComparisonPlots() {
    }

    static void drawAll(Path dir, List<SystemResult> results) throws IOException {
        Files.createDirectories(dir);
        latency(dir.resolve(PRODUCE_LATENCY), "Produce latency (acks=all, 1 KiB records, 16 partitions)", results,
                FixedRateWorkload.Result::produce);
        latency(dir.resolve(END_TO_END_LATENCY), "End-to-end latency (due to send → consumed)", results,
                FixedRateWorkload.Result::endToEnd);
        throughput(dir.resolve(THROUGHPUT), results);
    }

    private interface WindowOf extends java.util.function.Function<FixedRateWorkload.Result, Window> {
    }

    private static void latency(Path file, String title, List<SystemResult> results, WindowOf window) throws IOException {
        NumberAxis rateAxis = new NumberAxis("target rate (MB/s)");
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(rateAxis);
        combined.setGap(12);
        List<Map.Entry<String, ToDoubleFunction<LatencySummary>>> percentiles = List.of(
                Map.entry("p50", LatencySummary::p50Ms),
                Map.entry("p99", LatencySummary::p99Ms),
                Map.entry("p99.9", LatencySummary::p999Ms));
        for (Map.Entry<String, ToDoubleFunction<LatencySummary>> percentile : percentiles) {
            XYSeriesCollection dataset = new XYSeriesCollection();
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
            for (SystemResult result : results) {
                XYSeries series = new XYSeries(result.system().label());
                for (FixedRateWorkload.Result rate : result.fixedRates()) {
                    double ms = percentile.getValue().applyAsDouble(window.apply(rate).latency());
                    if (!Double.isNaN(ms) && ms > 0) {
                        series.add(rate.targetMBps(), ms);
                    }
                }
                renderer.setSeriesPaint(dataset.getSeriesCount(), COLOURS.get(result.system()));
                renderer.setSeriesShape(dataset.getSeriesCount(), SHAPES.get(result.system()));
                renderer.setSeriesStroke(dataset.getSeriesCount(), new BasicStroke(2f));
                dataset.addSeries(series);
            }
            LogarithmicAxis msAxis = new LogarithmicAxis(percentile.getKey() + " (ms, log scale)");
            msAxis.setStrictValuesFlag(false);
            msAxis.setAllowNegativesFlag(false);
            msAxis.setExpTickLabelsFlag(false);
            XYPlot plot = new XYPlot(dataset, null, msAxis, renderer);
            style(plot);
            if (combined.getSubplots().isEmpty()) {
                combined.setFixedLegendItems(plot.getLegendItems()); // one legend for the three panels
            }
            combined.add(plot, 1);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 900);
    }

    private static void throughput(Path file, List<SystemResult> results) throws IOException {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        int series = 0;
        for (SystemResult result : results) {
            String label = result.system().label();
            dataset.addValue(result.maxProduce() != null ? result.maxProduce().produce().megabytesPerSecond() : 0,
                    label, "maximum produce");
            dataset.addValue(result.maxConsume() != null ? result.maxConsume().read().megabytesPerSecond() : 0,
                    label, "maximum consume (backlog)");
            dataset.addValue(result.catchUp() != null ? result.catchUp().read().megabytesPerSecond() : 0,
                    label, "catch-up read while producing");
            renderer.setSeriesPaint(series++, COLOURS.get(result.system()));
        }
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis(), new NumberAxis("MB/s (10^6 bytes of values)"), renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("Throughput: one producer or one consumer, 16 partitions",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 500);
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
}
