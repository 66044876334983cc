package io.cachex.server.admin;

import io.cachex.api.config.ConfigException;
import io.cachex.api.config.ConfigSection;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code admin} section: where the admin UI listens, who may use it and with which role. Without users it
 * only listens on a loopback interface; every user has a role and a PBKDF2 password hash
 * ({@link Passwords}), never a password.
 */
public final class AdminConfig {
  public final String host;
  /** null: no admin UI. */
  public final Integer port;
  /** user name → user, empty: no login (loopback only), everyone gets {@link #localRole}. */
  public final Map<String, User> users;
  public final Role localRole;
  public final int sessionTimeoutSeconds;

  public record User(String name, String passwordHash, Role role) {
  }

  public AdminConfig(ConfigSection a) {
    host = a.string("host", "127.0.0.1");
    port = a.optionalInteger("port", 0, "none (no admin UI)");
    localRole = Role.of(a.choice("localRole", "readOnly", List.of("readOnly", "readWrite")));
    sessionTimeoutSeconds = a.integer("sessionTimeoutSeconds", 1800, 1);
    JsonObject given = a.map("users");
    Map<String, User> read = new LinkedHashMap<>();
    for (String name : given.fieldNames()) {
      String path = a.pathOf("users") + "." + name;
      String where = "config option '" + path + "'";
      if (!(given.getValue(name) instanceof JsonObject)) {
        throw new ConfigException(where + " must be an object {\"passwordHash\": \"pbkdf2-sha256:...\", \"role\": \"readOnly\"|\"readWrite\"}");
      }
      JsonObject u = given.getJsonObject(name);
      for (String field : u.fieldNames()) {
        if (!field.equals("passwordHash") && !field.equals("role")) {
          throw new ConfigException("unknown option '" + a.pathOf("users") + "." + name + "." + field + "' (a user has 'passwordHash' and 'role')");
        }
      }
      String hash = u.getValue("passwordHash") instanceof String ? u.getString("passwordHash") : null;
      if (hash == null || !Passwords.wellFormed(hash)) {
        throw new ConfigException("config option '" + path + ".passwordHash' must be a hash made by 'java -jar cachex-server.jar --hash-password' "
            + "(pbkdf2-sha256:<iterations>:<salt>:<hash>), never a password");
      }
      Object role = u.getValue("role");
      if (!"readOnly".equals(role) && !"readWrite".equals(role)) {
        throw new ConfigException("config option '" + path + ".role' must be \"readOnly\" or \"readWrite\"");
      }
      read.put(name, new User(name, hash, Role.of((String) role)));
    }
    users = Map.copyOf(read);
    if (port != null && users.isEmpty() && !loopback(host)) {
      throw new ConfigException("config option '" + a.pathOf("host") + "' is " + host
          + ", not a loopback interface: the admin UI needs admin.users (with password hashes) to listen there");
    }
  }

  /** Whether users must log in: exactly when users are configured. */
  public boolean authRequired() {
    return !users.isEmpty();
  }

  /** localhost or a loopback address literal; a host name other than localhost is never taken for loopback. */
  static boolean loopback(String host) {
    if ("localhost".equalsIgnoreCase(host)) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
      return false;
    }
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
