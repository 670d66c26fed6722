package dev.stratus.server;

import dev.stratus.server.config.ConfigException;
import dev.stratus.server.config.PropertiesLoader;
import dev.stratus.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * The command line: {@code stratus-server [config.properties] [--override key=value ...]}.
 * Runs a node until SIGTERM or SIGINT, then shuts it down gracefully and exits 0. The only
 * place in Stratus that decides the process exit code.
 */
@Command(name = "stratus-server", mixinStandardHelpOptions = true,
        description = "Starts a Stratus node (Kafka-compatible broker and controller).")
public final class ServerMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "A server.properties file.")
    Path configFile;

    @Option(names = "--override", paramLabel = "KEY=VALUE", description = "Overrides one configuration key.")
    List<String> overrides = new ArrayList<>();

    public static void main(String[] args) {
        int exitCode = new CommandLine(new ServerMain()).execute(args);
        System.exit(exitCode);
    }

    @Override
    public Integer call() {
        StratusServer server;
        try {
            ServerConfig config = ServerConfig.parse(PropertiesLoader.load(configFile, overrides));
            server = new StratusServer(config);
            server.start();
        } catch (ConfigException e) {
            log.error("Invalid configuration: {}", e.getMessage());
            return 2;
        } catch (DirectoryLock.DirectoryLockedException e) {
            log.error("Cannot start: {}", e.getMessage());
            return 2;
        } catch (Exception e) {
            log.error("Startup failed", e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Signal.handle(new Signal("TERM"), signal -> stop(server, stopping, stopped, "SIGTERM"));
        Signal.handle(new Signal("INT"), signal -> stop(server, stopping, stopped, "SIGINT"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return server.failed() ? 1 : 0;
    }

    private static void stop(StratusServer server, AtomicBoolean stopping, CountDownLatch stopped, String signal) {
        if (!stopping.compareAndSet(false, true)) {
            log.info("Received {} again; still shutting down", signal);
            return;
        }
        // Off the signal thread: shutdown uploads the WAL and may take a while.
        Thread stopper = new Thread(() -> {
            log.info("Received {}, shutting down gracefully", signal);
            server.shutdown();
            stopped.countDown();
        }, "stratus-shutdown");
        stopper.start();
    }
}
