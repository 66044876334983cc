package io.cachex.service.support;

import io.cachex.servers.RedisClusterTopology;
import io.cachex.servers.SentinelTopology;
import io.cachex.servers.ServerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * The data tier of the current {@link Topology}, shared by the whole test JVM: the service's
 * {@code redis} config for it, and a raw client for looking at what is stored.
 */
public final class TestTopologies {
  private static SentinelTopology sentinel;
  private static RedisClusterTopology cluster;

  private TestTopologies() {
  }

  private static synchronized SentinelTopology sentinel() {
    if (sentinel == null) {
      sentinel = SentinelTopology.start(new ServerOptions());
      SentinelTopology s = sentinel;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close));
    }
    return sentinel;
  }

  private static synchronized RedisClusterTopology cluster() {
    if (cluster == null) {
      cluster = RedisClusterTopology.start(3, 1, new ServerOptions());
      RedisClusterTopology c = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(c::close));
    }
    return cluster;
  }

  /** The service's {@code redis} section for the current topology. */
  public static JsonObject redisConfig() {
    return redisConfig(Topology.current());
  }

  /** The service's {@code redis} section for {@code topology} (tests from outside run on more than one). */
  public static JsonObject redisConfig(Topology topology) {
    switch (topology) {
      case SENTINEL:
        return new JsonObject().put("type", "sentinel").put("masterName", sentinel().masterName())
            .put("endpoints", new JsonArray(sentinel().sentinelUris()));
      case REDIS_CLUSTER:
        return new JsonObject().put("type", "cluster").put("endpoints", new JsonArray(cluster().seedUris()));
      default:
        return new JsonObject().put("endpoints", new JsonArray().add(SharedRedis.get().uri()));
    }
  }

  /** A raw client on the same data (routed by key on a cluster, to the primary under Sentinel). */
  public static Redis rawClient(Vertx vertx) {
    JsonObject c = redisConfig();
    RedisOptions o = new RedisOptions().setMaxPoolWaiting(10_000).setMaxPoolSize(8)
        .setType(RedisClientType.valueOf(c.getString("type", "standalone").toUpperCase()))
        .setMasterName(c.getString("masterName", "mymaster"));
    c.getJsonArray("endpoints").forEach(e -> o.addConnectionString((String) e));
    return Redis.createClient(vertx, o);
  }
}
