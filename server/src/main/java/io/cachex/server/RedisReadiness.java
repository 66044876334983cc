package io.cachex.server;

import io.cachex.service.config.CachexConfig.RedisConfig;
import io.cachex.service.config.RedisUris;
import io.cachex.service.redis.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Whether the configured Valkey/Redis can serve: an endpoint answers, accepts the credentials, and is of the
 * configured topology ({@code redis.type}; for Sentinel, the sentinels know {@code redis.masterName}). A wrong
 * password or topology is a mistake to report at once; an endpoint that does not answer yet is waited for.
 */
final class RedisReadiness {
  private final Vertx vertx;
  private final RedisConfig redis;

  RedisReadiness(Vertx vertx, RedisConfig redis) {
    this.vertx = vertx;
    this.redis = redis;
  }

  /** The reason Redis cannot serve yet (it may later); the launcher waits and asks again. */
  static final class NotYet extends RuntimeException {
    NotYet(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Probes until Redis is ready and returns what answered (e.g. "valkey 8.0.1, standalone"). Says what it waits
   * for through {@code progress} when the reason changes; gives up after {@code waitSeconds}.
   */
  String await(int waitSeconds, Consumer<String> progress, BooleanSupplier stopping) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    String said = null;
    while (true) {
      String reason;
      try {
        return Awaits.await(probe(), redis.connectTimeoutMs + redis.commandTimeoutMs + 1000);
      } catch (NotYet e) {
        reason = e.getMessage();
      } catch (Awaits.TimedOut e) {
        reason = "no answer within " + (redis.connectTimeoutMs + redis.commandTimeoutMs) + " ms";
      }
      if (stopping.getAsBoolean()) {
        throw new StartupException("stopped while waiting for Redis");
      }
      if (!reason.equals(said)) { // said even when the first probe outlasted the wait: the log shows what it waited for
        progress.accept("cachex: waiting for Redis: " + reason + " (giving up after " + waitSeconds + " s)");
        said = reason;
      }
      if (System.nanoTime() > deadline) {
        throw new StartupException("Redis was not ready within " + waitSeconds + " s (startup.redisWaitSeconds): " + reason);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupException("interrupted while waiting for Redis");
      }
    }
  }

  /** One look: succeeds with a description, or fails with {@link NotYet} or {@link StartupException}. */
  Future<String> probe() {
    switch (redis.type) {
      case "sentinel":
        return firstAnswer(this::sentinel);
      case "cluster":
        return firstAnswer(endpoint -> node(endpoint, "cluster"));
      default:
        // standalone and replication: every endpoint is a plain server
        return firstAnswer(endpoint -> node(endpoint, "standalone"));
    }
  }

  /** Tries the endpoints in order; the first that answers decides; when none does, the last reason is kept. */
  private Future<String> firstAnswer(Function<String, Future<String>> check) {
    Future<String> result = Future.failedFuture(new NotYet("no endpoint configured"));
    for (String endpoint : redis.endpoints) {
      result = result.recover(err -> err instanceof StartupException ? Future.failedFuture(err) : check.apply(endpoint));
    }
    return result;
  }

  private Future<String> node(String endpoint, String expectedMode) {
    return withConnection(endpoint, true, conn -> conn.send(Request.cmd(Command.INFO).arg("server")).map(info -> {
      String mode = mode(info);
      if (!expectedMode.equals(mode)) {
        throw new StartupException("redis.type is " + redis.type + ", but " + RedisUris.mask(endpoint) + " is a "
            + describeMode(mode) + ": set redis.type to " + ("sentinel".equals(mode) ? "sentinel (the endpoints are its sentinels)" : mode));
      }
      return server(info) + ", " + redis.type;
    }).compose(desc -> "cluster".equals(expectedMode)
        ? conn.send(Request.cmd(Command.CLUSTER).arg("INFO")).map(state -> {
          String clusterState = field(state, "cluster_state");
          if (!"ok".equals(clusterState)) {
            throw new NotYet(RedisUris.mask(endpoint) + " reports cluster_state:" + clusterState);
          }
          return desc;
        })
        : Future.succeededFuture(desc)));
  }

  private Future<String> sentinel(String endpoint) {
    // sentinels usually have no password of their own: only the endpoint's credentials are used
    return withConnection(endpoint, false, conn -> conn.send(Request.cmd(Command.INFO).arg("server")).compose(info -> {
      String mode = mode(info);
      if (!"sentinel".equals(mode)) {
        throw new StartupException("redis.type is sentinel, but " + RedisUris.mask(endpoint) + " is a " + describeMode(mode)
            + ", not a sentinel: list the sentinels in redis.endpoints, or set redis.type to " + mode);
      }
      return conn.send(Request.cmd(Command.SENTINEL).arg("GET-MASTER-ADDR-BY-NAME").arg(redis.masterName)).map(addr -> {
        if (addr == null || addr.size() < 2) {
          throw new NotYet("the sentinel at " + RedisUris.mask(endpoint) + " knows no master named '" + redis.masterName
              + "' (redis.masterName)");
        }
        return server(info) + " sentinel, master '" + redis.masterName + "' at " + addr.get(0) + ":" + addr.get(1);
      });
    }));
  }

  private Future<String> withConnection(String endpoint, boolean withConfiguredCredentials,
                                        Function<RedisConnection, Future<String>> use) {
    RedisOptions options = RedisGateway.options(redis, 1, 1).setType(RedisClientType.STANDALONE)
        .setEndpoints(new ArrayList<>(List.of(endpoint)));
    if (!withConfiguredCredentials) {
      options.setUser(null).setPassword(null);
    }
    Redis client = Redis.createClient(vertx, options);
    return client.connect()
        .recover(err -> Future.failedFuture(classify(endpoint, err)))
        .compose(conn -> use.apply(conn)
            .recover(err -> Future.failedFuture(classify(endpoint, err)))
            .eventually(conn::close))
        .eventually(() -> {
          client.close();
          return Future.succeededFuture();
        });
  }

  /** Refused credentials are a mistake to report; anything else (refused connection, LOADING, ...) may pass. */
  private static RuntimeException classify(String endpoint, Throwable err) {
    if (err instanceof StartupException || err instanceof NotYet) {
      return (RuntimeException) err;
    }
    String message = String.valueOf(err.getMessage());
    String upper = message.toUpperCase(Locale.ROOT);
    String where = RedisUris.mask(endpoint);
    if (upper.startsWith("NOAUTH")) {
      return new StartupException("Redis at " + where + " requires a password: set redis.password (or put it in the URI)");
    }
    if (upper.startsWith("WRONGPASS") || upper.contains("INVALID PASSWORD") || upper.contains("INVALID USERNAME-PASSWORD")
        || upper.contains("WITHOUT ANY PASSWORD CONFIGURED")) {
      return new StartupException("Redis at " + where + " refused the credentials (" + firstLine(message) + ")");
    }
    return new NotYet(where + " " + (upper.startsWith("LOADING") ? "is loading its data" : "does not answer (" + firstLine(message) + ")"));
  }

  private static String firstLine(String message) {
    return RedisUris.mask(message.split("\n")[0].trim());
  }

  private static String field(Response info, String name) {
    if (info == null) {
      return null;
    }
    for (String line : info.toString().split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  /** standalone, cluster or sentinel: Valkey 8 says server_mode, Redis redis_mode. */
  private static String mode(Response info) {
    String valkey = field(info, "server_mode");
    return valkey != null ? valkey : field(info, "redis_mode");
  }

  private static String server(Response info) {
    String valkey = field(info, "valkey_version");
    return valkey != null ? "valkey " + valkey : "redis " + field(info, "redis_version");
  }

  private static String describeMode(String mode) {
    if ("cluster".equals(mode)) {
      return "Redis Cluster node";
    }
    if ("sentinel".equals(mode)) {
      return "Sentinel";
    }
    return "standalone server";
  }
}
