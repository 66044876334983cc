package io.cachex.servers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How to start a server: extra arguments, authentication, TLS, start timeout. Fluent and mutable;
 * {@link #copy()} before sharing one instance between starts that change it.
 *
 * <pre>{@code
 * new ServerOptions().args("--maxmemory", "64mb").requirePass("s3cret")
 * new ServerOptions().aclUser("app", "pw")          // ACL user with all permissions; uri() carries it
 * new ServerOptions().tls(new TlsOptions(cert, key, ca))
 * }</pre>
 */
public final class ServerOptions {

  private final List<String> extraArgs = new ArrayList<>();
  private String requirePass;
  private String aclUser;
  private String aclPassword;
  private TlsOptions tls;
  private Duration startTimeout = Duration.ofSeconds(10);
  private int port;

  public ServerOptions() {
  }

  public ServerOptions copy() {
    ServerOptions copy = new ServerOptions();
    copy.extraArgs.addAll(extraArgs);
    copy.requirePass = requirePass;
    copy.aclUser = aclUser;
    copy.aclPassword = aclPassword;
    copy.tls = tls;
    copy.startTimeout = startTimeout;
    copy.port = port;
    return copy;
  }

  /** Appends raw server arguments, e.g. {@code args("--maxmemory", "64mb")}; they come last on the command line. */
  public ServerOptions args(String... args) {
    extraArgs.addAll(Arrays.asList(args));
    return this;
  }

  /**
   * Persist every write before replying: AOF with {@code appendfsync always} (the server's own
   * {@code --appendonly no} default is overridden, later arguments win).
   */
  public ServerOptions appendFsyncAlways() {
    return args("--appendonly", "yes", "--appendfsync", "always");
  }

  /** Replaces the extra server arguments. */
  public ServerOptions extraArgs(List<String> args) {
    extraArgs.clear();
    extraArgs.addAll(args);
    return this;
  }

  public List<String> extraArgs() {
    return List.copyOf(extraArgs);
  }

  /** Password of the default user ({@code requirepass}); replicas get it as {@code masterauth}. */
  public ServerOptions requirePass(String password) {
    this.requirePass = password;
    return this;
  }

  public String requirePass() {
    return requirePass;
  }

  /**
   * Adds an ACL user with every permission ({@code user NAME on >PASSWORD ~* &* +@all}, Redis 6.2+)
   * and makes {@link RedisServer#uri()} carry it. Replicas authenticate with it
   * ({@code masteruser}/{@code masterauth}). The default user keeps its own setting.
   */
  public ServerOptions aclUser(String user, String password) {
    this.aclUser = Objects.requireNonNull(user, "user");
    this.aclPassword = Objects.requireNonNull(password, "password");
    return this;
  }

  public String aclUser() {
    return aclUser;
  }

  public String aclPassword() {
    return aclPassword;
  }

  /** Serve TLS only: the allocated port becomes {@code --tls-port} and {@code --port 0}. */
  public ServerOptions tls(TlsOptions tls) {
    this.tls = tls;
    return this;
  }

  public TlsOptions tls() {
    return tls;
  }

  /** How long to wait for the first PONG (default 10 s). */
  public ServerOptions startTimeout(Duration timeout) {
    this.startTimeout = Objects.requireNonNull(timeout);
    return this;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  /** A fixed port instead of a free one (0, the default, means "pick a free port"). Never 6379 in tests. */
  public ServerOptions port(int port) {
    this.port = port;
    return this;
  }

  public int port() {
    return port;
  }

  /** The user clients authenticate as: the ACL user if configured, else null (default user). */
  String clientUser() {
    return aclUser;
  }

  /** The password clients authenticate with, or null when no authentication is configured. */
  String clientPassword() {
    return aclUser != null ? aclPassword : requirePass;
  }

  /** Arguments for authentication and TLS (port excluded), in server command-line form. */
  List<String> securityArgs() {
    List<String> args = new ArrayList<>();
    if (requirePass != null) {
      args.addAll(List.of("--requirepass", requirePass));
    }
    if (aclUser != null) {
      args.addAll(List.of("--user", aclUser, "on", ">" + aclPassword, "~*", "&*", "+@all"));
      args.addAll(List.of("--masteruser", aclUser, "--masterauth", aclPassword));
    } else if (requirePass != null) {
      args.addAll(List.of("--masterauth", requirePass));
    }
    if (tls != null) {
      args.addAll(tls.serverArgs());
    }
    return args;
  }

  @Override
  public String toString() {
    return "ServerOptions{args=" + extraArgs + (requirePass != null ? ", requirepass=***" : "")
        + (aclUser != null ? ", aclUser=" + aclUser : "") + (tls != null ? ", tls" : "")
        + (port != 0 ? ", port=" + port : "") + '}';
  }
}
