package io.cachex.service.near;

import io.cachex.api.CachexService;
import io.cachex.api.near.NearCache;
import io.cachex.api.near.NearCacheOptions;
import io.cachex.servers.RedisClusterTopology;
import io.cachex.servers.SentinelTopology;
import io.cachex.servers.ServerOptions;
import io.cachex.service.CachexVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.cachex.service.near.NearCacheTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracking where the keys live: under Sentinel it follows the primary (a failover flushes the near caches,
 * and writes on the new primary invalidate), on Redis Cluster it runs on every primary (raw writes to keys
 * spread over all of them invalidate).
 */
@ExtendWith(VertxExtension.class)
class NearCacheTopologiesTest {

  static JsonObject config(String kind, JsonObject redis) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    return new JsonObject().put("address", "cachex.test.near" + kind + "." + id).put("keyPrefix", kind + id)
        .put("redis", redis)
        .put("nearCache", new JsonObject().put("enabled", true).put("heartbeatIntervalMs", 100));
  }

  static NearCache nearCache(Vertx vertx, JsonObject config) {
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    String address = config.getString("address");
    NearCache near = NearCache.create(vertx, address,
        CachexService.createProxyWithOptions(vertx, address, new DeliveryOptions().setSendTimeout(10_000)),
        new NearCacheOptions().setHeartbeatTimeoutMs(1_000));
    await("serving", near::serving, 15_000);
    return near;
  }

  static void warm(NearCache near, String key) {
    await("a read of " + key + " answered from memory", () -> {
      long hits = near.stats().getLong("hits");
      near.service().get(key).await();
      return near.stats().getLong("hits") > hits;
    }, 5_000);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void underSentinelAFailoverFlushesAndTrackingFollowsThePrimary(Vertx vertx) {
    try (SentinelTopology topology = SentinelTopology.start(new ServerOptions())) {
      JsonObject config = config("s", new JsonObject().put("type", "sentinel").put("masterName", topology.masterName())
          .put("endpoints", new JsonArray(topology.sentinelUris())).put("commandTimeoutMs", 2_000));
      NearCache near = nearCache(vertx, config);
      CachexService cache = near.service();
      String prefix = config.getString("keyPrefix");
      RedisOptions o = new RedisOptions().setType(RedisClientType.SENTINEL).setMasterName(topology.masterName());
      topology.sentinelUris().forEach(o::addConnectionString);
      Redis raw = Redis.createClient(vertx, o);

      cache.set("x", 1).await();
      warm(near, "x");
      raw.send(Request.cmd(Command.SET).arg(prefix + ":1:x").arg("2")).await();
      await("raw write on the primary seen", () -> Long.valueOf(2).equals(cache.get("x").await()), 3_000);
      warm(near, "x");

      CountDownLatch flushed = new CountDownLatch(1);
      near.dropHandler(k -> {
        if (k == null) {
          flushed.countDown();
        }
      });
      topology.failover();
      topology.awaitFailover(Duration.ofSeconds(30));
      await("the failover flushed the near cache", () -> flushed.getCount() == 0, 10_000);
      await("serving again", near::serving, 15_000);
      // writes on the new primary invalidate: tracking moved with the service
      await("a read from the new primary", () -> {
        try {
          return Long.valueOf(2).equals(cache.get("x").await());
        } catch (RuntimeException unavailableWhileMoving) {
          return false;
        }
      }, 15_000);
      Redis onNew = Redis.createClient(vertx, topology.currentPrimary().uri());
      await("raw write on the new primary seen", () -> {
        onNew.send(Request.cmd(Command.SET).arg(prefix + ":1:x").arg("3")).await();
        return Long.valueOf(3).equals(cache.get("x").await());
      }, 10_000);
      warm(near, "x");
      onNew.send(Request.cmd(Command.SET).arg(prefix + ":1:x").arg("4")).await();
      await("and again", () -> Long.valueOf(4).equals(cache.get("x").await()), 3_000);
      System.out.println("near cache under sentinel: " + near.stats());
      near.close();
      onNew.close();
      raw.close();
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void onRedisClusterEveryPrimaryIsTrackedAndAFailoverFlushes(Vertx vertx) {
    try (RedisClusterTopology cluster = RedisClusterTopology.start(3, 1, new ServerOptions())) {
      JsonObject config = config("c", new JsonObject().put("type", "cluster").put("endpoints", new JsonArray(cluster.seedUris())));
      NearCache near = nearCache(vertx, config);
      CachexService cache = near.service();
      String prefix = config.getString("keyPrefix");
      RedisOptions o = new RedisOptions().setType(RedisClientType.CLUSTER);
      cluster.seedUris().forEach(o::addConnectionString);
      Redis raw = Redis.createClient(vertx, o);

      Set<Integer> primariesUsed = new HashSet<>();
      for (int i = 0; i < 12; i++) {
        String key = "k" + i;
        primariesUsed.add(cluster.primaryForKey(prefix + ":1:" + key).port());
        cache.set(key, 1).await();
      }
      assertEquals(3, primariesUsed.size(), "the keys live on every primary");
      for (int i = 0; i < 12; i++) {
        warm(near, "k" + i);
      }
      for (int i = 0; i < 12; i++) {
        raw.send(Request.cmd(Command.SET).arg(prefix + ":1:k" + i).arg("2")).await();
      }
      for (int i = 0; i < 12; i++) {
        String key = "k" + i;
        await("raw write of " + key + " seen", () -> Long.valueOf(2).equals(cache.get(key).await()), 3_000);
      }
      assertTrue(near.stats().getLong("invalidations") >= 12, near.stats().encode());

      // CLUSTER FAILOVER: the primaries change, tracking is re-established where the slots now are
      CountDownLatch flushed = new CountDownLatch(1);
      near.dropHandler(k -> {
        if (k == null) {
          flushed.countDown();
        }
      });
      cluster.manualFailover(cluster.replicasOf(0).get(0), Duration.ofSeconds(30));
      await("the failover flushed the near cache", () -> flushed.getCount() == 0, 15_000);
      await("serving again", near::serving, 15_000);
      for (int i = 0; i < 12; i++) {
        String key = "k" + i;
        await("read again " + key, () -> {
          try {
            return Long.valueOf(2).equals(cache.get(key).await());
          } catch (RuntimeException movedMeanwhile) {
            return false;
          }
        }, 10_000);
        warm(near, key);
      }
      for (int i = 0; i < 12; i++) {
        raw.send(Request.cmd(Command.SET).arg(prefix + ":1:k" + i).arg("3")).await();
      }
      for (int i = 0; i < 12; i++) {
        String key = "k" + i;
        await("raw write of " + key + " seen after the failover", () -> Long.valueOf(3).equals(cache.get(key).await()), 5_000);
      }
      System.out.println("near cache on redis cluster: " + near.stats());
      near.close();
      raw.close();
    }
  }
}
