package dev.stratus.bench.compare;

/**
 * What every {@link SystemNode} holds once its server process runs: which system it is, the
 * process, and the port its Kafka listener took on 127.0.0.1. The subclasses say how to start
 * and stop their server.
 *
 * <p>Used by the harness's main thread.
 */
abstract class RunningServer implements SystemNode {

    private final SystemUnderTest system;
    private final ServerProcess process;
    private final int port;

    RunningServer(SystemUnderTest system, ServerProcess process, int port) {
        this.system = system;
        this.process = process;
        this.port = port;
    }

    @Override
    public SystemUnderTest system() {
        return system;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public ServerProcess process() {
        return process;
    }
}
