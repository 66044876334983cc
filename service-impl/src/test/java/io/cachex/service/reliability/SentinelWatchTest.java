package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.servers.LocalServerProcess;
import io.cachex.servers.RedisServers;
import io.cachex.servers.RespSocket;
import io.cachex.servers.SentinelTopology;
import io.cachex.servers.ServerOptions;
import io.cachex.service.CachexVerticle;
import io.cachex.service.locks.Waiters;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the service follows Sentinel, and its failure paths, against real sentinels: a planned failover moves
 * commands, blocked pops and the lock-waiter subscription to the new primary; announcements about another
 * master are ignored; one sentinel down changes nothing; all sentinels down leaves a running service on its
 * primary and makes a new one fail fast; a node that answers ROLE as a replica is never used.
 */
@ExtendWith(VertxExtension.class)
class SentinelWatchTest {
  static final long COMMAND_TIMEOUT_MS = 3_000;

  static JsonObject config(SentinelTopology topology, String tag) {
    return new JsonObject().put("address", "cachex.test.watch." + tag).put("keyPrefix", tag)
        .put("redis", new JsonObject().put("type", "sentinel").put("masterName", topology.masterName())
            .put("endpoints", new JsonArray(topology.sentinelUris()))
            .put("commandTimeoutMs", COMMAND_TIMEOUT_MS).put("connectTimeoutMs", 2_000).put("maxReconnectDelayMs", 500));
  }

  static CachexService deploy(Vertx vertx, JsonObject config) {
    vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    return CachexService.createProxyWithOptions(vertx, config.getString("address"),
        new DeliveryOptions().setSendTimeout(30_000));
  }

  static String tag() {
    return "w" + UUID.randomUUID().toString().substring(0, 6);
  }

  /** Retries {@code call} until it succeeds (bounded): the service reaches a new node after a failover. */
  static <T> T eventually(java.util.function.Supplier<Future<T>> call, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      try {
        return call.get().await();
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  static String get(LocalServerProcess node, String key) {
    try (RespSocket s = node.connect()) {
      return s.callString("GET", key);
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void plannedFailoverMovesCommandsBlockedPopsAndLockWaiters(Vertx vertx) throws Exception {
    try (SentinelTopology topology = SentinelTopology.start(new ServerOptions(), 2)) {
      String tag = tag();
      CachexService cache = deploy(vertx, config(topology, tag));
      eventually(() -> cache.set("a", 1L), 15_000);
      LockLease held = cache.acquireLock("job", new LockOptions().setTimeout(30)).await();
      Future<LockLease> waiter = cache.acquireLock("job", new LockOptions().setTimeout(30).setSleep(10).setBlockingTimeout(25));
      Future<JsonArray> pop = cache.blpop(List.of("queue"), 20.0);
      Thread.sleep(300); // the pop is blocked and the waiter subscribed on the old primary

      LocalServerProcess old = topology.failover();
      long failoverNs = System.nanoTime();
      LocalServerProcess promoted = topology.awaitFailover(Duration.ofSeconds(30));
      assertNotEquals(old.port(), promoted.port());

      // the pop blocked on the old primary is failed, not left waiting 20 s there
      ServiceException popFailure = CachexFixture.assertFails(CachexError.UNAVAILABLE, pop);
      long popMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failoverNs);
      assertTrue(popMs < 10_000, "the blocked pop ended " + popMs + " ms after the failover: " + popFailure.getMessage());

      // writes land on the new primary while the old one still claims to be a primary
      eventually(() -> cache.set("b", 2L), 10_000);
      assertEquals("2", get(promoted, tag + ":1:b"));
      try (RespSocket s = old.connect()) {
        assertEquals(null, s.callString("GET", tag + ":1:b"), "nothing written to the deposed primary");
      }

      // the lock-waiter subscription moved: the new primary has the subscriber, the release wakes the waiter
      long deadline = System.currentTimeMillis() + 10_000;
      long subscribers = 0;
      while (subscribers < 1 && System.currentTimeMillis() < deadline) {
        try (RespSocket s = promoted.connect()) {
          subscribers = (Long) ((List<?>) s.call("PUBSUB", "NUMSUB", Waiters.CHANNEL)).get(1);
        }
        Thread.sleep(50);
      }
      assertTrue(subscribers >= 1, "lock waiters subscribe on the new primary");
      eventually(() -> cache.releaseLock(held), 5_000);
      long releasedNs = System.nanoTime();
      LockLease next = waiter.await();
      assertNotNull(next, "the waiter got the lock");
      long wokeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasedNs);
      assertTrue(wokeMs < 5_000, "woken by the release (polling every 10 s otherwise): " + wokeMs + " ms");
      // and a new blocking pop is served by the new primary
      cache.rpush("queue", 7L).await();
      JsonArray popped = cache.blpop(List.of("queue"), 2.0).await();
      assertEquals("queue", popped.getString(0));
      assertEquals(7L, ((Number) popped.getValue(1)).longValue());
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void announcementsAboutAnotherMasterAreIgnored(Vertx vertx) throws Exception {
    ServerOptions plain = new ServerOptions();
    try (SentinelTopology topology = SentinelTopology.start(plain, 1);
         LocalServerProcess otherPrimary = RedisServers.startWithBinary(RedisServers.topologyBinary(), plain);
         LocalServerProcess otherReplica = RedisServers.startWithBinary(RedisServers.topologyBinary(), plain.copy()
             .args("--replicaof", "127.0.0.1", Integer.toString(otherPrimary.port())))) {
      topology.monitor("othermaster", otherPrimary);
      awaitSentinelsSeeReplica(topology, "othermaster");
      String tag = tag();
      CachexService cache = deploy(vertx, config(topology, tag));
      eventually(() -> cache.set("a", 1L), 15_000);
      long before = ReadonlyReconnectTest.connectionsReceived(topology.primary());

      failoverWhenAReplicaIsGood(topology, "othermaster");
      long deadline = System.currentTimeMillis() + 20_000;
      long slowest = 0;
      int calls = 0;
      while (System.currentTimeMillis() < deadline && !otherReplicaIsPrimary(otherReplica)) {
        long begin = System.nanoTime();
        cache.incr("n").await(); // never fails, never waits for a failover
        slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        calls++;
      }
      assertTrue(otherReplicaIsPrimary(otherReplica), "the other master failed over");
      for (int i = 0; i < 20; i++) { // the switch announcements arrive around now
        cache.incr("n").await();
        Thread.sleep(50);
      }
      long after = ReadonlyReconnectTest.connectionsReceived(topology.primary());
      // our admin connection for the second INFO is the only new one
      assertEquals(1, after - before, "the service kept its connections to our primary");
      assertTrue(slowest < 500, "no command waited for the other master's failover: " + slowest + " ms over " + calls + " calls");
    }
  }

  /** SENTINEL FAILOVER, retried while the sentinel has no replica it considers good yet (NOGOODSLAVE). */
  static void failoverWhenAReplicaIsGood(SentinelTopology topology, String name) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      try (RespSocket sentinel = topology.sentinels().get(0).connect()) {
        sentinel.call("SENTINEL", "FAILOVER", name);
        return;
      } catch (RespSocket.ServerError e) {
        if (!"NOGOODSLAVE".equals(e.code()) || System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  static boolean otherReplicaIsPrimary(LocalServerProcess node) {
    try (RespSocket s = node.connect()) {
      return s.callString("INFO", "replication").contains("role:master");
    } catch (RuntimeException e) {
      return false; // the promotion closes client connections (CLIENT KILL TYPE normal)
    }
  }

  static void awaitSentinelsSeeReplica(SentinelTopology topology, String name) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    for (LocalServerProcess sentinel : topology.sentinels()) {
      while (true) {
        try (RespSocket s = sentinel.connect()) {
          if (!((List<?>) s.call("SENTINEL", "REPLICAS", name)).isEmpty()) {
            break;
          }
        }
        assertTrue(System.currentTimeMillis() < deadline, "sentinels discover the replica of " + name);
        Thread.sleep(100);
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void withOneSentinelDownAPlannedFailoverIsStillFollowed(Vertx vertx) throws Exception {
    try (SentinelTopology topology = SentinelTopology.start(new ServerOptions(), 2)) {
      topology.sentinels().get(0).stop();
      String tag = tag();
      CachexService cache = deploy(vertx, config(topology, tag));
      eventually(() -> cache.set("a", 1L), 15_000);
      LocalServerProcess old = topology.failover();
      LocalServerProcess promoted = topology.awaitFailover(Duration.ofSeconds(30));
      eventually(() -> cache.set("b", 2L), 10_000);
      assertEquals("2", get(promoted, tag + ":1:b"));
      assertEquals(null, get(old, tag + ":1:b"), "nothing written to the deposed primary");
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void withAllSentinelsDownARunningServiceKeepsItsPrimaryAndANewOneFailsFast(Vertx vertx) throws Exception {
    try (SentinelTopology topology = SentinelTopology.start(new ServerOptions(), 1)) {
      String tag = tag();
      JsonObject config = config(topology, tag);
      CachexService running = deploy(vertx, config);
      eventually(() -> running.set("a", 1L), 15_000);
      topology.sentinels().forEach(LocalServerProcess::stop);

      // nobody announces anything: the known primary still answers ROLE as master
      for (int i = 0; i < 20; i++) {
        running.incr("n").await();
        Thread.sleep(50);
      }
      // a new deployment cannot learn the primary: UNAVAILABLE within connectTimeout, no hang
      JsonObject fresh = config.copy().put("address", config.getString("address") + ".fresh");
      CachexService newcomer = deploy(vertx, fresh);
      long begin = System.nanoTime();
      ServiceException e = CachexFixture.assertFails(CachexError.UNAVAILABLE, newcomer.get("a"));
      long failedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      assertTrue(failedMs < COMMAND_TIMEOUT_MS + 1_000, "failed fast: " + failedMs + " ms, " + e.getMessage());
      assertTrue(e.getMessage().contains("sentinel"), e.getMessage());

      topology.sentinels().forEach(LocalServerProcess::restart);
      assertEquals(1L, eventually(() -> newcomer.get("a"), 15_000));
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void roleReplicaReadsFromAReplicaTheSentinelsList(Vertx vertx) throws Exception {
    try (SentinelTopology topology = SentinelTopology.start(new ServerOptions(), 1)) {
      String tag = tag();
      JsonObject config = config(topology, tag);
      config.getJsonObject("redis").put("role", "replica");
      CachexService cache = deploy(vertx, config);
      try (RespSocket s = topology.primary().connect()) {
        s.call("SET", tag + ":1:r", "5");
        s.call("WAIT", 1, 2_000);
      }
      assertEquals(5L, eventually(() -> cache.get("r"), 15_000));
      // the node answers as a replica: writes are refused there
      CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.set("w", 1L));
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aNodeThatAnswersRoleAsReplicaIsNeverUsed(Vertx vertx) throws Exception {
    try (SentinelTopology topology = SentinelTopology.start(new ServerOptions(), 1);
         LocalServerProcess elsewhere = RedisServers.startWithBinary(RedisServers.topologyBinary(), new ServerOptions())) {
      String tag = tag();
      CachexService cache = deploy(vertx, config(topology, tag));
      eventually(() -> cache.set("a", 1L), 15_000);
      LocalServerProcess primary = topology.primary();
      // demoted behind the sentinels' back: they still name it the primary for a while
      try (RespSocket s = primary.connect()) {
        s.call("REPLICAOF", elsewhere.host(), Integer.toString(elsewhere.port()));
      }
      CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.set("b", 2L)); // READONLY: the connection is left
      ServiceException refused = CachexFixture.assertFails(CachexError.UNAVAILABLE, cache.get("a"));
      assertTrue(refused.getMessage().contains("ROLE"), "reconnecting checked ROLE: " + refused.getMessage());
      try (RespSocket s = primary.connect()) {
        s.call("REPLICAOF", "NO", "ONE");
      }
      eventually(() -> cache.set("c", 3L), 10_000);
      assertEquals("3", get(primary, tag + ":1:c"));
    }
  }
}
