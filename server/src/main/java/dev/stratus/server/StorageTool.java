package dev.stratus.server;

import dev.stratus.server.config.ConfigException;
import dev.stratus.server.config.PropertiesLoader;
import dev.stratus.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code stratus-storage}, like Kafka's {@code kafka-storage}: {@code random-uuid} prints a new
 * cluster id, {@code format -t ID -c CONFIG} writes a node's identity into its data directory
 * so that it may join that cluster. Every node of a cluster is formatted with the same id.
 */
@Command(name = "stratus-storage", mixinStandardHelpOptions = true, description = "Formats Stratus data directories.",
        subcommands = {StorageTool.RandomUuid.class, StorageTool.Format.class})
public final class StorageTool implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new StorageTool()).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    @Command(name = "random-uuid", description = "Prints a new cluster id.")
    static final class RandomUuid implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(ClusterIdentity.randomClusterId());
            return 0;
        }
    }

    @Command(name = "format", description = "Formats the data directory of the node the configuration describes.")
    static final class Format implements Callable<Integer> {
        @Option(names = {"-t", "--cluster-id"}, required = true, description = "The cluster id (see random-uuid).")
        String clusterId;

        @Option(names = {"-c", "--config"}, required = true, description = "The node's server.properties.")
        Path configFile;

        @Option(names = "--override", paramLabel = "KEY=VALUE", description = "Overrides one configuration key.")
        List<String> overrides = new ArrayList<>();

        @Option(names = {"-g", "--ignore-formatted"}, description = "Succeed when the directory is formatted already.")
        boolean ignoreFormatted;

        @Override
        public Integer call() {
            try {
                ServerConfig config = ServerConfig.parse(PropertiesLoader.load(configFile, overrides));
                Path dataDir = config.dataDir();
                int nodeId = config.get(ServerConfig.NODE_ID);
                if (ClusterIdentity.isFormatted(dataDir)) {
                    ClusterIdentity existing = ClusterIdentity.loadOrCreate(dataDir, clusterId, nodeId);
                    if (!ignoreFormatted) {
                        System.err.println(dataDir + " is already formatted for cluster " + existing.clusterId() + ", node "
                                + nodeId + " (use --ignore-formatted to accept that).");
                        return 1;
                    }
                    System.out.println(dataDir + " is already formatted for cluster " + existing.clusterId() + ", node " + nodeId);
                    return 0;
                }
                ClusterIdentity.format(dataDir, clusterId, nodeId);
                System.out.println("Formatted " + dataDir + " for cluster " + clusterId + ", node " + nodeId);
                return 0;
            } catch (ConfigException e) {
                System.err.println("Cannot format: " + e.getMessage());
                return 2;
            } catch (Exception e) {
                System.err.println("Cannot format: " + e);
                return 1;
            }
        }
    }
}
