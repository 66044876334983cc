package io.cachex.service.topology;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.PipelineOptions;
import io.cachex.service.CachexVerticle;
import io.cachex.servers.RedisClusterTopology;
import io.cachex.servers.ServerOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.impl.ZModem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys spread over the slots of a real Redis Cluster (3 primaries, 3 replicas) with an untagged
 * prefix: multi-key cache ops split by slot and merge, pattern ops cover every primary, and
 * multi-key data-structure ops across slots fail with a message naming hash tags.
 */
@ExtendWith(VertxExtension.class)
class RedisClusterTest {
  static RedisClusterTopology cluster;
  static CachexService cache;
  static Vertx vertx;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    cluster = RedisClusterTopology.start(3, 1, new ServerOptions());
    JsonObject config = new JsonObject().put("address", "cachex.test.rc").put("keyPrefix", "rc")
        .put("redis", new JsonObject().put("type", "cluster").put("endpoints", new JsonArray(cluster.seedUris())));
    v.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    cache = CachexService.createProxy(v, "cachex.test.rc");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** 60 caller keys whose stored keys land on every primary. */
  static List<String> spreadKeys() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      keys.add("k" + i);
    }
    Set<Integer> slots = new HashSet<>();
    keys.forEach(k -> slots.add(ZModem.generate("rc:1:" + k)));
    assertTrue(slots.size() > 30, "keys spread over slots");
    return keys;
  }

  @Test
  void getManySetManyDeleteManySpanSlotsAndKeepTheMapping() {
    List<String> keys = spreadKeys();
    Map<String, Object> entries = new HashMap<>();
    keys.forEach(k -> entries.put(k, "value-of-" + k));
    assertEquals(List.of(), cache.setMany(entries).await());
    List<String> asked = new ArrayList<>(keys);
    asked.add("missing");
    JsonObject found = cache.getMany(asked).await();
    assertEquals(keys.size(), found.size());
    keys.forEach(k -> assertEquals("value-of-" + k, found.getString(k), k));
    assertEquals((long) keys.size(), cache.deleteMany(asked).await());
  }

  @Test
  void patternOpsCoverEveryPrimary() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add("pat:" + i);
    }
    keys.forEach(k -> cache.set(k, 1).await());
    Set<Integer> primaries = new HashSet<>();
    keys.forEach(k -> primaries.add(cluster.primaries().indexOf(cluster.primaryForKey("rc:1:" + k))));
    assertEquals(3, primaries.size(), "the keys live on all three primaries");

    assertEquals(new TreeSet<>(keys), new TreeSet<>(cache.keys("pat:*", null).await()));
    assertEquals(new TreeSet<>(keys), new TreeSet<>(cache.iterKeys("pat:*", null).await()));
    Set<String> scanned = new TreeSet<>();
    String cursor = "0";
    int pages = 0;
    do {
      JsonObject page = cache.scan(cursor, "pat:*", 5, null).await();
      page.getJsonArray("keys").forEach(k -> scanned.add((String) k));
      cursor = page.getString("cursor");
      pages++;
    } while (!"0".equals(cursor) && pages < 1000);
    assertEquals(new TreeSet<>(keys), scanned, "the composite cursor walks every primary");
    assertEquals(40L, cache.deletePattern("pat:*", null).await());
    assertEquals(List.of(), cache.keys("pat:*", null).await());
  }

  @Test
  void clearDeletesOnEveryPrimary() {
    spreadKeys().forEach(k -> cache.set("clr:" + k, 1).await());
    assertTrue(cache.clear().await() >= 60);
    assertEquals(List.of(), cache.keys("*", null).await());
  }

  @Test
  void crossSlotDataStructureOpsNameHashTags() {
    cache.sadd("s-a", null, new JsonArray().add(1)).await();
    cache.sadd("s-b", null, new JsonArray().add(2)).await();
    var e = assertFails(CachexError.NOT_SUPPORTED, cache.sunion(List.of("s-a", "s-b"), null));
    assertTrue(e.getMessage().contains("hash tag"), e.getMessage());
    // with a common hash tag the same call runs
    cache.sadd("{s}a", null, new JsonArray().add(1)).await();
    cache.sadd("{s}b", null, new JsonArray().add(2)).await();
    assertEquals(2, cache.sunion(List.of("{s}a", "{s}b"), null).await().size());
  }

  @Test
  void incrVersionNeedsAHashTag() {
    cache.set("plain", 1).await();
    var e = assertFails(CachexError.NOT_SUPPORTED, cache.incrVersion("plain"));
    assertTrue(e.getMessage().contains("hash tag"), e.getMessage());
    cache.set("{doc}", 1).await();
    assertEquals(2, cache.incrVersion("{doc}").await());
    assertEquals(1L, cache.get("{doc}", 2, null).await());
  }

  /**
   * useReplicas=always: every call still works and writes are never sent to a replica (one would
   * fail with READONLY). Measured here: vertx-redis-client 5.0.7's cluster connection sends reads to
   * the primaries anyway (the replicas count no GET), so replica reads are documented as not
   * effective yet rather than asserted.
   */
  @Test
  void useReplicasKeepsEveryCallWorking() {
    JsonObject config = new JsonObject().put("address", "cachex.test.rc.replicas").put("keyPrefix", "rc")
        .put("redis", new JsonObject().put("type", "cluster").put("useReplicas", "always")
            .put("endpoints", new JsonArray(cluster.seedUris())));
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    CachexService replicaReading = CachexService.createProxy(vertx, "cachex.test.rc.replicas");
    replicaReading.set("rep:key", "written").await();
    assertEquals("written", cache.get("rep:key").await(), "the write reached the primary");
    assertEquals("written", replicaReading.get("rep:key").await());
    assertEquals(2L, replicaReading.incr("rep:n", 2L, null).await());
  }

  @Test
  void pipelinesRunAndTransactionsAreRefused() {
    var p = cache.pipeline();
    var a = p.ops().incr("pipe-a");
    var b = p.ops().incr("pipe-b");
    p.execute().await();
    assertEquals(1L, a.result());
    assertEquals(1L, b.result());
    var tx = cache.pipeline();
    tx.ops().incr("pipe-a");
    assertFails(CachexError.NOT_SUPPORTED, tx.execute(new PipelineOptions().setTransaction(true)));
  }
}
