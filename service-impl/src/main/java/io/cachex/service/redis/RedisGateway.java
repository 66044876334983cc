package io.cachex.service.redis;

import io.cachex.api.CachexError;
import io.cachex.service.config.CachexConfig.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How the service talks to Valkey/Redis. Ordinary commands go round-robin over a few pipelined
 * connections ({@link PipelinedLane}); blocking commands and transactions take a connection of
 * their own from a pool, so that a caller waiting on an empty list never delays anyone else.
 * Created and used on one verticle's event loop.
 */
public final class RedisGateway {
  private final Vertx vertx;
  private final RedisConfig config;
  private final Redis commandClient;
  private final Redis dedicatedClient;
  private final PipelinedLane[] lanes;
  private final ClusterNodes cluster;
  private final long sweepTimer;
  private int next;

  public RedisGateway(Vertx vertx, RedisConfig config) {
    this.vertx = vertx;
    this.config = config;
    // one pooled connection per lane, plus slack so a connection being replaced never blocks its successor
    this.commandClient = Redis.createClient(vertx, options(config, config.connections + 2, config.maxInFlight));
    // a waiting queue no smaller than the pool (the Sentinel client refuses "unbounded" -1)
    this.dedicatedClient = Redis.createClient(vertx, options(config, config.blockingConnections, 100_000));
    this.lanes = new PipelinedLane[config.connections];
    int perLane = Math.max(1, config.maxInFlight / config.connections);
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new PipelinedLane(vertx, commandClient, config.commandTimeoutMs, config.connectTimeoutMs, perLane,
          config.reconnectDelayMs, config.maxReconnectDelayMs);
    }
    this.cluster = "cluster".equalsIgnoreCase(config.type) ? new ClusterNodes(vertx, config, this) : null;
    long sweepEvery = Math.max(10, Math.min(250, config.commandTimeoutMs / 4));
    this.sweepTimer = vertx.setPeriodic(sweepEvery, id -> {
      long now = System.currentTimeMillis();
      for (PipelinedLane lane : lanes) {
        lane.expireOverdue(now);
      }
    });
  }

  /** Client options for this config: the topology, credentials and bounds every connection of ours uses. */
  public static RedisOptions options(RedisConfig c, int poolSize, int poolWaiting) {
    RedisOptions o = new RedisOptions()
        .setType(RedisClientType.valueOf(c.type.toUpperCase(Locale.ROOT)))
        .setMasterName(c.masterName)
        .setRole(RedisRole.valueOf(c.role.toUpperCase(Locale.ROOT)))
        .setUseReplicas(RedisReplicas.valueOf(c.useReplicas.toUpperCase(Locale.ROOT)))
        // RESP2 replies have one shape on every server version we support (6.2 to Valkey 8)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2)
        .setMaxWaitingHandlers(Math.max(2048, c.maxInFlight))
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(poolWaiting)
        .setNetClientOptions(netOptions(c));
    o.setEndpoints(new ArrayList<>(c.endpoints.isEmpty() ? List.of("redis://127.0.0.1:6379") : c.endpoints));
    if (c.user != null) {
      o.setUser(c.user);
    }
    if (c.password != null) {
      o.setPassword(c.password);
    }
    return o;
  }

  /**
   * TCP and TLS settings. TLS itself is switched on per endpoint by the {@code rediss://} scheme; these
   * say whom to trust ({@code redis.tls.caFile}, else the JVM's trust store) and whether the certificate
   * must name the endpoint's host ({@code redis.tls.hostnameVerification}, on by default).
   */
  public static NetClientOptions netOptions(RedisConfig c) {
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout((int) c.connectTimeoutMs)
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        .setHostnameVerificationAlgorithm(c.tlsHostnameVerification ? "HTTPS" : "");
    if (c.tlsCaFile != null) {
      net.setTrustOptions(new PemTrustOptions().addCertPath(c.tlsCaFile));
    }
    return net;
  }

  /** Sends one command on a pipelined connection. */
  public Future<Response> send(Request request) {
    return lane().send(request);
  }

  /**
   * Sends the commands back to back on ONE pipelined connection (so Redis runs them in this order,
   * in one round trip), each with its own reply: unlike {@link #batch}, one failing command fails
   * only its own future.
   */
  public List<Future<Response>> sendAll(List<Request> requests) {
    PipelinedLane lane = lane();
    List<Future<Response>> replies = new ArrayList<>(requests.size());
    for (Request r : requests) {
      replies.add(lane.send(r));
    }
    return replies;
  }

  /** Sends commands in one write on one pipelined connection; fails as a whole if one fails. */
  public Future<List<Response>> batch(List<Request> requests) {
    return lane().batch(requests);
  }

  /**
   * Sends a blocking command (BLPOP...) on a connection of its own; {@code timeoutMs} bounds the
   * whole call and should exceed the command's own server-side timeout.
   */
  public Future<Response> sendBlocking(Request request, long timeoutMs) {
    return withDedicatedConnection(c -> c.send(request), timeoutMs);
  }

  /** Runs {@code work} on a connection nobody else uses (transactions, blocking commands), then returns it. */
  public <T> Future<T> withDedicatedConnection(java.util.function.Function<RedisConnection, Future<T>> work, long timeoutMs) {
    return dedicatedClient.connect()
        .recover(err -> Future.failedFuture(new GatewayException(CachexError.UNAVAILABLE,
            "cannot connect to Valkey/Redis: " + PipelinedLane.describe(err))))
        .compose(c -> {
          Future<T> result;
          try {
            result = work.apply(c);
          } catch (RuntimeException e) {
            result = Future.failedFuture(e);
          }
          return result
              .timeout(timeoutMs, TimeUnit.MILLISECONDS)
              .recover(err -> Future.failedFuture(err instanceof java.util.concurrent.TimeoutException
                  || err.getClass().getSimpleName().contains("Timeout")
                  ? new GatewayException(CachexError.TIMEOUT, "no reply from Valkey/Redis within " + timeoutMs + " ms")
                  : err))
              .andThen(ar -> c.close());
        });
  }

  /** Redis Cluster helpers, or null when the server is not a cluster. */
  public ClusterNodes cluster() {
    return cluster;
  }

  /** The underlying client, for topology helpers (cluster node fan-out). */
  public Redis client() {
    return commandClient;
  }

  public RedisConfig config() {
    return config;
  }

  /** Replies awaited across all pipelined connections. */
  public int inFlight() {
    int n = 0;
    for (PipelinedLane lane : lanes) {
      n += lane.inFlight();
    }
    return n;
  }

  private PipelinedLane lane() {
    if (lanes.length == 1) {
      return lanes[0];
    }
    int i = next++;
    if (next == lanes.length) {
      next = 0;
    }
    return lanes[i];
  }

  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    if (cluster != null) {
      cluster.close();
    }
    List<Future<?>> closing = new ArrayList<>();
    for (PipelinedLane lane : lanes) {
      closing.add(lane.close());
    }
    return Future.join(closing).eventually(() -> {
      commandClient.close();
      dedicatedClient.close();
      return Future.succeededFuture();
    }).mapEmpty();
  }
}
