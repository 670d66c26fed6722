package dev.stratus.metadata.quorum;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One voter of the controller quorum, as {@code controller.quorum.voters} names it: {@code id@host:port}. */
public record QuorumVoter(int id, String host, int port) {

    /**
     * Parses {@code id@host:port,id@host:port,...}; throws {@link IllegalArgumentException}
     * saying what is wrong (a bad entry, a duplicate id).
     */
    public static List<QuorumVoter> parseAll(String voters) {
        List<QuorumVoter> result = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (String raw : voters.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int at = entry.indexOf('@');
            int colon = entry.lastIndexOf(':');
            if (at <= 0 || colon < at + 2 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("'" + entry + "' is not id@host:port");
            }
            int id;
            int port;
            try {
                id = Integer.parseInt(entry.substring(0, at));
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + entry + "' is not id@host:port with integer id and port");
            }
            if (id < 0 || port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + entry + "' needs an id >= 0 and a port in [1, 65535]");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException("voter id " + id + " appears twice");
            }
            String host = entry.substring(at + 1, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            result.add(new QuorumVoter(id, host, port));
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("no voter named");
        }
        return List.copyOf(result);
    }

    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return id + "@" + address();
    }
}
