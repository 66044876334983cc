package io.cachex.service.redis;

import io.cachex.api.contract.OperationException;
import io.cachex.api.CachexError;
import io.cachex.service.config.CachexConfig.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Under Sentinel: connections to the node the {@link SentinelWatch} names, one pool per node. Each new
 * connection must answer ROLE as the role we want, so a stale primary (a sentinel that missed the
 * failover, a restarted old primary now being demoted) is never used; a refused node makes the watch ask
 * the sentinels again. A connection is handed over only if its node is still the one to use.
 */
final class PrimaryConnector implements Connector {
  private static final int ATTEMPTS = 3;

  private final Vertx vertx;
  private final RedisConfig config;
  private final SentinelWatch watch;
  private final int poolSize;
  private final int poolWaiting;
  private final String wantedRole;
  private final Map<String, Redis> clients = new HashMap<>();

  PrimaryConnector(Vertx vertx, RedisConfig config, SentinelWatch watch, int poolSize, int poolWaiting) {
    this.vertx = vertx;
    this.config = config;
    this.watch = watch;
    this.poolSize = poolSize;
    this.poolWaiting = poolWaiting;
    this.wantedRole = "replica".equalsIgnoreCase(config.role) ? "slave" : "master";
  }

  @Override
  public Future<RedisConnection> connect() {
    return connect(ATTEMPTS);
  }

  private Future<RedisConnection> connect(int attempts) {
    return watch.node().compose(endpoint -> client(endpoint).connect()
        .compose(c -> checkRole(c, endpoint))
        .compose(c -> {
          if (watch.isCurrent(endpoint)) {
            return Future.succeededFuture(c);
          }
          PipelinedLane.discard(c); // a failover began while we connected
          return attempts > 1 ? connect(attempts - 1) : Future.failedFuture(new OperationException(
              CachexError.UNAVAILABLE, "the " + role() + " changed while connecting"));
        }));
  }

  private Future<RedisConnection> checkRole(RedisConnection c, String endpoint) {
    return c.send(Request.cmd(Command.ROLE)).transform(ar -> {
      String role = ar.succeeded() && ar.result() != null && ar.result().size() > 0 ? ar.result().get(0).toString() : null;
      if (wantedRole.equals(role)) {
        return Future.succeededFuture(c);
      }
      PipelinedLane.discard(c);
      String why = ar.failed() ? "did not answer ROLE (" + PipelinedLane.describe(ar.cause()) + ")"
          : "answers ROLE as " + role + ", not " + wantedRole;
      watch.refuted(endpoint, why);
      return Future.failedFuture(new OperationException(CachexError.UNAVAILABLE, SentinelWatch.redact(endpoint)
          + " " + why + " though the sentinels name it the " + role() + "; asking them again"));
    });
  }

  private Redis client(String endpoint) {
    return clients.computeIfAbsent(endpoint, e -> Redis.createClient(vertx,
        RedisGateway.options(config, poolSize, poolWaiting)
            .setType(RedisClientType.STANDALONE)
            .setEndpoints(new ArrayList<>(List.of(e)))));
  }

  /** Closes the pools of every other node (and with them any connection still open there). */
  void keepOnly(String endpoint) {
    clients.entrySet().removeIf(e -> {
      if (e.getKey().equals(endpoint)) {
        return false;
      }
      e.getValue().close();
      return true;
    });
  }

  void close() {
    clients.values().forEach(Redis::close);
    clients.clear();
  }

  private String role() {
    return "slave".equals(wantedRole) ? "replica" : "primary";
  }
}
