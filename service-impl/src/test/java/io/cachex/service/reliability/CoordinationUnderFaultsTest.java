package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.ComputeLease;
import io.cachex.api.ComputeOptions;
import io.cachex.api.LeaseOptions;
import io.cachex.api.LeaseResult;
import io.cachex.api.SemaphoreOptions;
import io.cachex.api.Stampede;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.SharedRedis;
import io.cachex.service.support.StallingProxy;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compute leases, semaphores and stampede reads when Valkey/Redis fails: a stalled server fails them
 * with TIMEOUT on time (and a loader never runs without its lease), an unreachable one with
 * UNAVAILABLE, and waiters whose wake-up subscription is cut still get their value.
 */
@ExtendWith(VertxExtension.class)
class CoordinationUnderFaultsTest {

  static JsonObject through(String uri) {
    return new JsonObject().put("redis", new JsonObject().put("endpoints", new JsonArray().add(uri)).put("commandTimeoutMs", 500)
        .put("connectTimeoutMs", 500));
  }

  /** After a fault the service reconnects with a backoff: wait until a call gets through. */
  static void awaitReachable(CachexService cache) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      try {
        cache.hasKey("__probe").await();
        return;
      } catch (RuntimeException e) {
        assertTrue(System.currentTimeMillis() < deadline, "reachable again: " + e);
        Thread.sleep(50);
      }
    }
  }

  static void assertUnreachable(Future<?> call) {
    try {
      call.await();
      throw new AssertionError("expected TIMEOUT or UNAVAILABLE");
    } catch (RuntimeException e) {
      CachexError code = CachexError.of(e);
      assertTrue(code == CachexError.TIMEOUT || code == CachexError.UNAVAILABLE, String.valueOf(e));
    }
  }

  @Test
  void aStalledServerFailsWaitsAndLoadsWithTimeoutAndTheLoaderNeverRuns(Vertx vertx) throws Exception {
    try (StallingProxy proxy = new StallingProxy("127.0.0.1", SharedRedis.get().port())) {
      CachexFixture fx = CachexFixture.deploy(vertx, through(proxy.uri()));
      try {
        CachexService cache = fx.cache;
        AtomicInteger runs = new AtomicInteger();
        // a waiter whose server stalls in the middle of its wait fails, it does not hang
        ComputeLease held = cache.getOrLease("stalled", new LeaseOptions().setLeaseMs(10_000)).await().getLease();
        Future<LeaseResult> waiting = cache.getOrLease("stalled", new LeaseOptions().setSleep(0.2).setBlockingTimeout(8));
        Thread.sleep(300);
        proxy.stall();
        long t0 = System.nanoTime();
        assertFails(CachexError.TIMEOUT, waiting);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 3_000, "failed on time");
        // the stalled connection is replaced by one that cannot connect: TIMEOUT or UNAVAILABLE from now on
        assertUnreachable(cache.getOrCompute(vertx, "stalled-2", () -> {
          runs.incrementAndGet();
          return Future.succeededFuture("v");
        }));
        assertUnreachable(cache.acquireSemaphore("stalled", 1, new SemaphoreOptions().setLease(5)));
        assertUnreachable(cache.get("stalled", null, Stampede.on(), null));
        assertEquals(0, runs.get(), "no lease, no loader");
        proxy.resume();
        awaitReachable(cache);
        assertEquals("v", cache.getOrCompute(vertx, "stalled-2", () -> {
          runs.incrementAndGet();
          return Future.succeededFuture("v");
        }).await());
        assertEquals(1, runs.get());
        assertTrue(cache.setLeased(held, "late but held", null).await(), "the lease outlived the stall");
      } finally {
        fx.undeploy();
      }
    }
  }

  @Test
  void anUnreachableServerIsUnavailable(Vertx vertx) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String address = "cachex.dead." + closed;
    JsonObject config = through("redis://127.0.0.1:" + closed).put("address", address);
    String id = vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
    try {
      CachexService cache = CachexService.createProxy(vertx, address);
      AtomicInteger runs = new AtomicInteger();
      assertFails(CachexError.UNAVAILABLE, cache.getOrCompute(vertx, "k", () -> {
        runs.incrementAndGet();
        return Future.succeededFuture(1);
      }));
      assertFails(CachexError.UNAVAILABLE, cache.acquireSemaphore("s", 1, new SemaphoreOptions().setLease(5)));
      assertFails(CachexError.UNAVAILABLE, cache.getOrLease("k"));
      assertFails(CachexError.UNAVAILABLE, cache.get("k", null, Stampede.on(), null));
      assertEquals(0, runs.get(), "no lease, no loader");
    } finally {
      vertx.undeploy(id).await();
    }
  }

  @Test
  void waitersWhoseSubscriptionIsCutStillGetTheValue(Vertx vertx) throws Exception {
    CachexFixture fx = CachexFixture.deploy(vertx);
    try {
      CachexService cache = fx.cache;
      ComputeLease lease = cache.getOrLease("cut", new LeaseOptions().setLeaseMs(20_000)).await().getLease();
      Future<LeaseResult> waiting = cache.getOrLease("cut", new LeaseOptions().setSleep(1).setBlockingTimeout(10));
      Thread.sleep(300);
      // every pub/sub connection of the server is dropped: the service subscribes again and wakes its waiters
      fx.redis(Command.CLIENT, "KILL", "TYPE", "pubsub");
      Thread.sleep(100);
      assertTrue(cache.setLeased(lease, "after the cut", null).await());
      long t0 = System.nanoTime();
      assertEquals("after the cut", waiting.await().getValue());
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 3_000, "within a sleep interval or two");
    } finally {
      fx.undeploy();
    }
  }
}
