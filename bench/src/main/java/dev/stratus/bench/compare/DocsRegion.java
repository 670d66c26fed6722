package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The part of a Markdown file that a run rewrites: everything between two marker comments,
 * {@code <!-- BEGIN run-vs-kafka results -->} and {@code <!-- END run-vs-kafka results -->}.
 * What lies outside (the hand-written method and findings) is never touched. Stateless.
 */
final class DocsRegion {

    static final String BEGIN = "<!-- BEGIN run-vs-kafka results: written by bench/run-vs-kafka.sh, do not edit by hand -->";
    static final String END = "<!-- END run-vs-kafka results -->";

    private DocsRegion() {
    }

    static void rewrite(Path file, String content) throws IOException {
        String doc = Files.readString(file);
        Files.writeString(file, replace(doc, content));
    }

    static String replace(String doc, String content) {
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException("the markers of the results region are missing: " + BEGIN + " ... " + END);
        }
        return doc.substring(0, begin + BEGIN.length()) + "\n" + content.strip() + "\n" + doc.substring(end);
    }
}
