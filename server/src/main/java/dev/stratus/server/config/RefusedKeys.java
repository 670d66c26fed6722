package dev.stratus.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kafka keys that ask for something this version does not do and that must never be ignored,
 * because ignoring them would leave the node less safe than its operator asked: access control
 * and encryption (a node that ignored them would be open), and controller quorum settings this
 * version does not implement (a dynamic quorum's bootstrap servers, say). A key set here stops
 * startup with a message that says so: fail closed. Stateless.
 */
final class RefusedKeys {

    /** Security keys by exact name; the prefixes below catch the rest of the family. */
    private static final Set<String> SECURITY_KEYS = Set.of("authorizer.class.name", "super.users",
            "allow.everyone.if.no.acl.found", "principal.builder.class", "connections.max.reauth.ms",
            "password.encoder.secret", "password.encoder.old.secret");
    private static final List<String> SECURITY_PREFIXES = List.of("ssl.", "sasl.", "security.", "listener.name.",
            "delegation.token.", "password.encoder.");

    private static final String QUORUM_PREFIX = "controller.quorum.";
    /** The controller.quorum.* keys this version implements; any other (a dynamic quorum's bootstrap servers, say) is refused. */
    private static final Set<String> SUPPORTED_QUORUM_KEYS = Set.of("controller.quorum.voters",
            "controller.quorum.election.timeout.ms", "controller.quorum.request.timeout.ms");
    static final String PROTOCOL_MAP = "listener.security.protocol.map";

    private RefusedKeys() {
    }

    /** True when {@code name} belongs to this checker (whatever its value). */
    static boolean owns(String name) {
        return isSecurityKey(name) || (name.startsWith(QUORUM_PREFIX) && !SUPPORTED_QUORUM_KEYS.contains(name))
                || name.equals(PROTOCOL_MAP);
    }

    /**
     * Throws a {@link ConfigException} naming every key set in {@code properties} that this
     * version refuses.
     */
    static void check(Map<String, String> properties) {
        Set<String> security = new TreeSet<>();
        for (String name : properties.keySet()) {
            if (isSecurityKey(name)) {
                security.add(name);
            }
        }
        String protocolMap = properties.get(PROTOCOL_MAP);
        if (protocolMap != null && !onlyPlaintext(protocolMap)) {
            security.add(PROTOCOL_MAP + "=" + protocolMap);
        }
        if (!security.isEmpty()) {
            throw new ConfigException("Security is not supported yet: " + String.join(", ", security)
                    + ". Stratus does not serve TLS, SASL or ACLs in this version and will not start open when access "
                    + "control or encryption is asked for; remove these keys to run without security.");
        }
        Set<String> quorum = new TreeSet<>();
        for (String name : properties.keySet()) {
            if (name.startsWith(QUORUM_PREFIX) && !SUPPORTED_QUORUM_KEYS.contains(name)) {
                quorum.add(name);
            }
        }
        if (!quorum.isEmpty()) {
            throw new ConfigException("Controller quorum settings are not supported: " + String.join(", ", quorum)
                    + ". The quorum is static (controller.quorum.voters); supported: " + SUPPORTED_QUORUM_KEYS + ".");
        }
    }

    private static boolean isSecurityKey(String name) {
        return SECURITY_KEYS.contains(name) || SECURITY_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** {@code NAME:PROTOCOL,...} where every protocol is PLAINTEXT. */
    private static boolean onlyPlaintext(String map) {
        for (String entry : map.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String protocol = colon < 0 ? "" : entry.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            if (!protocol.equals("PLAINTEXT")) {
                return false;
            }
        }
        return true;
    }
}
