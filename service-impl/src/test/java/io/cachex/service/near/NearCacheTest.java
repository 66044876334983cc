package io.cachex.service.near;

import io.cachex.api.CachexService;
import io.cachex.api.near.Invalidations;
import io.cachex.api.near.NearCache;
import io.cachex.api.near.NearCacheOptions;
import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RedisServers;
import io.cachex.servers.ServerOptions;
import io.cachex.service.CachexVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The near cache against a real server of its own (its tracking connection is killed and the server
 * restarted here): answers from memory, own writes, writes by a raw client, the race rule, each flush
 * trigger, the maximum age.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NearCacheTest {
  static final long HEARTBEAT_MS = 100;
  static LocalServerProcess server;
  static Vertx vertx;
  static Redis raw;

  String address;
  String prefix;
  String deployment;
  CachexService plain;
  NearCache near;
  CachexService cache;

  @BeforeAll
  static void startServer() {
    RedisServers.Source source = RedisServers.localBinaries().isEmpty() ? RedisServers.Source.EMBEDDED : RedisServers.Source.BINARY;
    server = (LocalServerProcess) RedisServers.start(source, new ServerOptions());
    vertx = Vertx.vertx();
    raw = Redis.createClient(vertx, server.uri());
  }

  @AfterAll
  static void stopServer() {
    raw.close();
    vertx.close().await();
    server.close();
  }

  @BeforeEach
  void deploy() {
    String id = UUID.randomUUID().toString().substring(0, 8);
    address = "cachex.test.near." + id;
    prefix = "nc" + id;
    JsonObject config = new JsonObject().put("address", address).put("keyPrefix", prefix)
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add(server.uri())).put("commandTimeoutMs", 2_000))
        .put("nearCache", new JsonObject().put("enabled", true).put("heartbeatIntervalMs", HEARTBEAT_MS));
    deployment = vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    plain = CachexService.createProxyWithOptions(vertx, address, new DeliveryOptions().setSendTimeout(10_000));
    near = NearCache.create(vertx, address, plain, new NearCacheOptions().setHeartbeatTimeoutMs(1_000));
    cache = near.service();
    await("the near cache hears heartbeats", near::serving, 5_000);
  }

  @AfterEach
  void undeploy() {
    near.close();
    vertx.undeploy(deployment).await();
  }

  String stored(String key) {
    return prefix + ":1:" + key;
  }

  Response redis(Command command, Object... args) {
    Request r = Request.cmd(command);
    for (Object a : args) {
      r.arg(String.valueOf(a));
    }
    return raw.send(r).await();
  }

  long stat(String name) {
    return near.stats().getLong(name);
  }

  long flushes(String cause) {
    return near.stats().getJsonObject("flushes").getLong(cause, 0L);
  }

  static void await(String what, BooleanSupplier condition, long ms) {
    long deadline = System.currentTimeMillis() + ms;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + ms + " ms: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /**
   * Reads until one is answered from memory: the invalidation of a write comes back from the server a
   * moment later, and a read on its way meanwhile is (rightly) not kept.
   */
  void warm(String key) {
    await("a read of " + key + " answered from memory", () -> {
      long hits = stat("hits");
      cache.get(key).await();
      return stat("hits") > hits;
    }, 3_000);
  }

  @Test
  void readsAreAnsweredFromMemoryAndOwnWritesAreVisibleAtOnce() {
    cache.set("user", new JsonObject().put("name", "Ada")).await();
    assertEquals(new JsonObject().put("name", "Ada"), cache.get("user").await());
    warm("user");
    long hits = stat("hits");
    JsonObject held = (JsonObject) cache.get("user").await();
    assertEquals(new JsonObject().put("name", "Ada"), held);
    assertEquals(hits + 1, stat("hits"), "answered from memory");
    held.put("name", "mutated by the caller");
    assertEquals(new JsonObject().put("name", "Ada"), cache.get("user").await(), "callers get copies");

    cache.set("user", new JsonObject().put("name", "Grace")).await();
    assertEquals(new JsonObject().put("name", "Grace"), cache.get("user").await(), "own write visible at once");

    assertEquals(new JsonObject().put("user", new JsonObject().put("name", "Grace")), cache.getMany(List.of("user", "absent")).await());
    await("getMany answered from memory", () -> {
      long before = stat("hits");
      cache.getMany(List.of("user", "absent")).await();
      return stat("hits") == before + 2;
    }, 3_000);
    hits = stat("hits");
    assertEquals(new JsonObject().put("user", new JsonObject().put("name", "Grace")), cache.getMany(List.of("user", "absent")).await());
    assertEquals(hits + 2, stat("hits"), "both keys, the missing one too, answered from memory");
    assertTrue(cache.hasKey("user").await());
    assertTrue(cache.hasKey("user").await());
    assertEquals("dflt", cache.get("absent", "dflt").await(), "the caller's default, not kept as the value");
    assertNull(cache.get("absent").await());

    cache.delete("user").await();
    assertNull(cache.get("user").await());
    assertFalse(cache.hasKey("user").await());
    assertEquals(new JsonObject(), cache.getMany(List.of("user")).await());

    cache.setMany(java.util.Map.of("a", 1, "b", 2)).await();
    assertEquals(1L, ((Number) cache.get("a").await()).longValue());
    cache.setMany(java.util.Map.of("a", 10, "b", 20)).await();
    assertEquals(10L, ((Number) cache.get("a").await()).longValue(), "setMany drops the keys of its entries");
    assertEquals(11L, cache.incr("a").await());
    assertEquals(11L, ((Number) cache.get("a").await()).longValue());

    // a pipeline's writes drop their keys too
    cache.set("p", 1).await();
    cache.get("p").await();
    io.cachex.api.Pipeline p = cache.pipeline();
    p.ops().incr("p");
    p.execute().await();
    assertEquals(2L, ((Number) cache.get("p").await()).longValue());
  }

  @Test
  void writesByARawClientInvalidateTheNearCache() {
    cache.set("n", 1).await();
    assertEquals(1L, cache.get("n").await());
    warm("n");
    redis(Command.SET, stored("n"), "2");
    await("raw SET seen", () -> Long.valueOf(2).equals(cache.get("n").await()), 2_000);
    redis(Command.INCR, stored("n"));
    await("raw INCR seen", () -> Long.valueOf(3).equals(cache.get("n").await()), 2_000);
    redis(Command.DEL, stored("n"));
    await("raw DEL seen", () -> cache.get("n").await() == null, 2_000);
    assertTrue(stat("invalidations") >= 3, near.stats().encode());

    // a key that expires in Valkey/Redis is invalidated too
    redis(Command.SET, stored("e"), "7", "PX", "300");
    assertEquals(7L, cache.get("e").await());
    warm("e");
    await("expiry seen", () -> cache.get("e").await() == null, 3_000);

    // FLUSHDB: every near cache flushes
    cache.set("f", 1).await();
    warm("f");
    redis(Command.FLUSHDB);
    await("FLUSHDB seen", () -> cache.get("f").await() == null, 3_000);
    assertTrue(flushes("service") >= 1, near.stats().encode());
  }

  /** A delegate whose get replies reach the near cache {@code delayMs} late (the command itself leaves at once). */
  static CachexService delayingGets(Vertx vertx, CachexService target, long delayMs) {
    return (CachexService) Proxy.newProxyInstance(CachexService.class.getClassLoader(), new Class<?>[]{CachexService.class},
        (proxy, method, args) -> {
          if (method.isDefault()) {
            return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
          }
          Object result;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (!"get".equals(method.getName())) {
            return result;
          }
          Promise<Object> late = Promise.promise();
          ((Future<?>) result).onComplete(ar -> vertx.setTimer(delayMs, id -> late.handle(ar.map(v -> (Object) v))));
          return late.future();
        });
  }

  @Test
  void aReadWhoseReplyRacesAnInvalidationIsNotKept() throws Exception {
    NearCache racing = NearCache.create(vertx, address, delayingGets(vertx, plain, 400), new NearCacheOptions());
    try {
      CachexService c = racing.service();
      await("serving", racing::serving, 5_000);
      plain.set("r", 1).await();
      CountDownLatch invalidated = new CountDownLatch(1);
      racing.dropHandler(k -> {
        if ("r".equals(k)) {
          invalidated.countDown();
        }
      });
      Future<Object> inFlight = c.get("r");
      Thread.sleep(100); // the GET was answered by the server with 1; its reply is held back
      redis(Command.SET, stored("r"), "2");
      assertTrue(invalidated.await(3, TimeUnit.SECONDS), "the raw write was announced");
      assertEquals(1L, inFlight.await(), "the read started before the write");
      assertEquals(1L, racing.stats().getLong("notKept"), racing.stats().encode());
      assertEquals(2L, c.get("r").await(), "the raced reply was not kept");
      assertEquals(2L, c.get("r").await());
      assertEquals(1L, racing.stats().getLong("hits"), racing.stats().encode());
    } finally {
      racing.close();
    }
  }

  @Test
  void aKilledTrackingConnectionFlushes() {
    cache.set("k", 1).await();
    warm("k");
    long misses = stat("misses");
    CountDownLatch flushed = new CountDownLatch(1);
    near.dropHandler(k -> {
      if (k == null) {
        flushed.countDown();
      }
    });
    redis(Command.CLIENT, "KILL", "TYPE", "pubsub");
    await("flushed", () -> flushed.getCount() == 0, 3_000);
    assertTrue(flushes("service") + flushes("epoch") >= 1, near.stats().encode());
    await("serving again", near::serving, 5_000);
    assertEquals(1L, cache.get("k").await());
    assertTrue(stat("misses") > misses, "read again from Valkey/Redis after the flush");
    // and invalidations flow again on the new tracking connection
    redis(Command.SET, stored("k"), "5");
    await("raw SET seen after the reconnect", () -> Long.valueOf(5).equals(cache.get("k").await()), 3_000);
  }

  @Test
  void aServiceInstanceThatStopsFlushesAndOneThatComesBackIsTrustedAgain() {
    cache.set("i", 1).await();
    warm("i");
    String before = deployment;
    JsonObject c = new JsonObject().put("address", address).put("keyPrefix", prefix)
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add(server.uri())))
        .put("nearCache", new JsonObject().put("enabled", true).put("heartbeatIntervalMs", HEARTBEAT_MS));
    // a second instance (another node, say) joins: a new source, no flush
    String second = vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(c)).await();
    await("two sources", () -> near.stats().getInteger("sources") == 2, 3_000);
    assertEquals(0L, flushes("service") + flushes("epoch") + flushes("heartbeat"), near.stats().encode());
    warm("i");
    // the first one leaves: it says so, the near cache flushes and goes on with the other
    vertx.undeploy(before).await();
    deployment = second;
    await("flushed", () -> flushes("service") == 1, 3_000);
    assertEquals(1, near.stats().getInteger("sources"));
    assertTrue(near.serving());
    assertEquals(1L, cache.get("i").await());
    redis(Command.SET, stored("i"), "2");
    await("invalidations from the remaining instance", () -> Long.valueOf(2).equals(cache.get("i").await()), 3_000);
  }

  @Test
  void aRestartedServerFlushes() {
    cache.set("s", 1).await();
    warm("s");
    CountDownLatch flushed = new CountDownLatch(1);
    near.dropHandler(k -> {
      if (k == null) {
        flushed.countDown();
      }
    });
    server.kill();
    await("flushed", () -> flushed.getCount() == 0, 5_000);
    server.restart();
    await("serving again", near::serving, 10_000);
    // the restarted server lost the key (no persistence): the near cache does not remember it either
    assertNull(cache.get("s").await());
  }

  @Test
  void withoutHeartbeatsNothingIsAnsweredFromMemoryAndEntriesLiveAtMostMaxAge() throws Exception {
    // a near cache that hears a source of the test's own, which never tells it of changes
    String fake = "cachex.test.fake." + UUID.randomUUID();
    NearCache lonely = NearCache.create(vertx, address, plain, new NearCacheOptions().setInvalidationAddress(fake)
        .setMaxAgeMs(800).setHeartbeatTimeoutMs(500));
    long[] epoch = {1};
    long beat = vertx.setPeriodic(50, id -> vertx.eventBus().publish(fake, Invalidations.heartbeat("test", epoch[0], 50)));
    try {
      CachexService c = lonely.service();
      await("serving", lonely::serving, 2_000);
      plain.set("m", 1).await();
      long readAt = System.nanoTime();
      assertEquals(1L, c.get("m").await());
      redis(Command.SET, stored("m"), "2");
      assertEquals(1L, c.get("m").await(), "no invalidation delivered: still the held value");
      await("older than maxAgeMs: read again", () -> Long.valueOf(2).equals(c.get("m").await()), 3_000);
      long ageMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readAt);
      assertTrue(ageMs >= 800, "kept for " + ageMs + " ms");

      // a source whose epoch changed may have missed something: flush
      epoch[0] = 2;
      await("epoch flush", () -> lonely.stats().getJsonObject("flushes").getLong("epoch", 0L) == 1, 2_000);

      // heartbeats stop: flush, and no answer from memory until they come back
      assertEquals(2L, c.get("m").await());
      vertx.cancelTimer(beat);
      await("heartbeat flush", () -> lonely.stats().getJsonObject("flushes").getLong("heartbeat", 0L) == 1, 2_000);
      assertFalse(lonely.serving());
      long hits = lonely.stats().getLong("hits");
      redis(Command.SET, stored("m"), "3");
      assertEquals(3L, c.get("m").await());
      assertEquals(3L, c.get("m").await());
      assertEquals(hits, lonely.stats().getLong("hits"), "passed through while no heartbeat comes");
    } finally {
      vertx.cancelTimer(beat);
      lonely.close();
    }
  }

  @Test
  void itsCountersAreMicrometerMeters() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.cachex.service.monitoring.NearCacheMeters.bind(near, "near", registry);
    cache.set("m", 1).await();
    cache.get("m").await();
    warm("m");
    near.flush("write");
    assertTrue(registry.get("cache.gets").tag("cache", "near").tag("result", "hit").functionCounter().count() >= 1);
    assertTrue(registry.get("cache.gets").tag("result", "miss").functionCounter().count() >= 1);
    assertEquals(0.0, registry.get("cache.size").tag("cache", "near").gauge().value());
    assertEquals(1.0, registry.get("cachex.near.flushes").tag("cause", "write").functionCounter().count());
    assertTrue(registry.get("cachex.near.invalidations").functionCounter().count() >= 1, "the set's own invalidation came back");
  }

  @Test
  void onlyTheChosenNamespaceIsKeptNear() throws Exception {
    NearCache scoped = NearCache.create(vertx, address, plain, new NearCacheOptions().addKeyPrefix("hot:"));
    try {
      CachexService c = scoped.service();
      await("serving", scoped::serving, 2_000);
      plain.set("hot:1", 1).await();
      plain.set("cold:1", 1).await();
      Thread.sleep(300); // the writes' own invalidations have come back
      c.get("hot:1").await();
      c.get("cold:1").await();
      c.get("hot:1").await();
      c.get("cold:1").await();
      assertEquals(1L, scoped.stats().getLong("hits"), scoped.stats().encode());
      assertEquals(1L, scoped.stats().getLong("entries"));
      assertEquals(new JsonObject().put("hot:1", 1L).put("cold:1", 1L), c.getMany(List.of("hot:1", "cold:1")).await());
    } finally {
      scoped.close();
    }
  }
}
