package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a run measured, in one line for the results: CPU model and count, memory, the
 * file system that held the data directories, OS and kernel, and the Java runtime. Read from
 * {@code /proc} and {@code /etc/os-release}; what cannot be read shows as "?". Immutable.
 */
record MachineDescription(String cpu, int cores, long memoryBytes, String fileSystem, String os, String kernel, String java) {

    static MachineDescription read(Path dataDir) {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
        long memoryKib = 0;
        String memTotal = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        if (!memTotal.equals("?")) {
            memoryKib = Long.parseLong(memTotal.replace("kB", "").trim());
        }
        String fileSystem = "?";
        try {
            FileStore store = Files.getFileStore(dataDir);
            fileSystem = store.name() + " (" + store.type() + ")";
        } catch (IOException e) {
            // stays "?"
        }
        String os = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", "");
        String kernel = readOr(Path.of("/proc/sys/kernel/osrelease"));
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new MachineDescription(cpu, Runtime.getRuntime().availableProcessors(), memoryKib * 1024, fileSystem, os,
                kernel, java);
    }

    String oneLine() {
        return String.format(Locale.ROOT, "%d vCPUs (%s), %.0f GiB RAM, data directories on %s, %s (kernel %s), %s",
                cores, cpu, memoryBytes / (double) (1L << 30), fileSystem, os, kernel, java);
    }

    private static String firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int separator = line.indexOf(line.contains("=") && !line.contains(":") ? '=' : ':');
                if (separator > 0 && line.substring(0, separator).trim().equals(key)) {
                    return line.substring(separator + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "?";
    }

    private static String readOr(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
