package io.cachex.service.locks;

import io.cachex.api.CachexError;
import io.cachex.api.ComputeLease;
import io.cachex.api.LeaseOptions;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.api.SemaphoreLease;
import io.cachex.api.SemaphoreOptions;
import io.cachex.api.SetOptions;
import io.cachex.api.Stampede;
import io.cachex.service.support.CachexFixture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The meters of waits and lost leases, on a node built with metrics the way the launcher builds it. */
class WaitAndLeaseMetricsTest {
  static Vertx vertx;
  static CachexFixture fx;
  static MeterRegistry registry;

  @BeforeAll
  static void start() {
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(new io.vertx.micrometer.MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new io.vertx.micrometer.MicrometerMetricsFactory(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())).build();
    fx = CachexFixture.deploy(vertx, new JsonObject());
    registry = BackendRegistries.getDefaultNow();
    assertNotNull(registry);
  }

  @AfterAll
  static void stop() {
    fx.undeploy();
    vertx.close().await();
  }

  static long timerCount(String name, String tag, String value) {
    Timer t = registry.find(name).tag(tag, value).timer();
    return t == null ? 0 : t.count();
  }

  static double counter(String name, String tag, String value) {
    var c = tag == null ? registry.find(name).counter() : registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void waitsAreTimedByOutcome() {
    LockLease lock = fx.cache.acquireLock("m-lock", new LockOptions().setLeaseMs(5000)).await();
    assertNull(fx.cache.acquireLock("m-lock", new LockOptions().setLeaseMs(5000).setBlockingTimeout(0.2)).await());
    assertEquals(1, timerCount("cachex.lock.wait", "acquired", "false"));

    SemaphoreLease permit = fx.cache.acquireSemaphore("m-sem", 1, new SemaphoreOptions().setLeaseMs(5000)).await();
    assertNull(fx.cache.acquireSemaphore("m-sem", 1, new SemaphoreOptions().setLeaseMs(5000).setBlockingTimeout(0.2)).await());
    Future<SemaphoreLease> waiting = fx.cache.acquireSemaphore("m-sem", 1, new SemaphoreOptions().setLeaseMs(5000).setBlockingTimeout(5));
    fx.cache.releaseSemaphore(permit).await();
    assertNotNull(waiting.await());
    assertEquals(1, timerCount("cachex.semaphore.wait", "acquired", "false"));
    assertTrue(timerCount("cachex.semaphore.wait", "acquired", "true") >= 1);

    ComputeLease lease = fx.cache.getOrLease("m-value", new LeaseOptions().setLeaseMs(5000)).await().getLease();
    Future<?> waiter = fx.cache.getOrLease("m-value", new LeaseOptions().setBlockingTimeout(5));
    vertx.setTimer(200, id -> fx.cache.setLeased(lease, "v", null));
    waiter.await();
    assertEquals(1, timerCount("cachex.compute.wait", "outcome", "value"));
    fx.cache.releaseLock(lock).await();
  }

  @Test
  void leasesUsedAfterTheyWereLostAreCountedByKind() {
    LockLease lock = fx.cache.acquireLock("m-lost", new LockOptions().setLeaseMs(5000)).await();
    fx.cache.releaseLock(lock).await();
    assertFails(CachexError.LOCK_NOT_OWNED, fx.cache.releaseLock(lock));
    SemaphoreLease permit = fx.cache.acquireSemaphore("m-lost", 1, new SemaphoreOptions().setLeaseMs(5000)).await();
    fx.cache.releaseSemaphore(permit).await();
    assertFails(CachexError.LOCK_NOT_OWNED, fx.cache.extendSemaphore(permit, 100L));
    ComputeLease lease = fx.cache.getOrLease("m-lost").await().getLease();
    fx.cache.releaseLease(lease).await();
    assertFails(CachexError.LOCK_NOT_OWNED, fx.cache.setLeased(lease, "late", null));
    assertEquals(1.0, counter("cachex.lease.lost", "kind", "lock"));
    assertEquals(1.0, counter("cachex.lease.lost", "kind", "semaphore"));
    assertEquals(1.0, counter("cachex.lease.lost", "kind", "compute"));
  }

  @Test
  void earlyExpiriesAreCounted() {
    double before = counter("cachex.stampede.early.expiries", null, null);
    fx.cache.set("m-early", "v", SetOptions.timeout(300), Stampede.on()).await();
    fx.redis(Command.PEXPIRE, fx.stored("m-early", 1), 1_000);
    assertNull(fx.cache.get("m-early", null, Stampede.on(), null).await());
    assertEquals(before + 1, counter("cachex.stampede.early.expiries", null, null));
  }
}
