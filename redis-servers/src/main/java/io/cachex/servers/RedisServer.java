package io.cachex.servers;

/**
 * A running Valkey/Redis server a client can connect to: a local process we started, a container,
 * or an external server we only point at.
 */
public interface RedisServer extends AutoCloseable {

  /** Host to connect to, "127.0.0.1" for local processes. */
  String host();

  int port();

  /**
   * Connection URI: {@code redis://127.0.0.1:PORT}, with {@code user:password@} (or {@code :password@})
   * when authentication is configured and {@code rediss://} for TLS.
   */
  String uri();

  /** Human-readable, e.g. "valkey-server 8.0.1 (/usr/bin/valkey-server) on 127.0.0.1:40123". Never shows passwords. */
  String description();

  /** "valkey", "redis", "external" or "container". */
  String flavor();

  /** A new authenticated admin connection (TLS when the server uses it). The caller closes it. */
  RespSocket connect();

  /** Stops the server (local process: SIGTERM, then SIGKILL after a short grace). Idempotent; no-op for external servers. */
  @Override
  void close();
}
