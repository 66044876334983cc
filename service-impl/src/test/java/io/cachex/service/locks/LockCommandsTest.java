package io.cachex.service.locks;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.LockKeeper;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.api.Locks;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lock leases through the proxy: mutual exclusion across two Vert.x instances, fencing, expiry, wake-up, helpers. */
@Tag("contract")
class LockCommandsTest extends ServiceTest {
  /** The fencing counter of a stored lock key, as the service names it. */
  static String fenceKey(String lockKey) {
    io.cachex.service.keys.PrefixVersionKeyFunction keys = new io.cachex.service.keys.PrefixVersionKeyFunction();
    keys.init(fx.prefix);
    return io.cachex.service.locks.LockKeys.fenceKey(keys, null, lockKey);
  }

  static LockOptions lease(long ms) {
    return new LockOptions().setLeaseMs(ms);
  }

  @Test
  void acquireGivesLeaseInTheValueNamespace() {
    long before = System.currentTimeMillis();
    LockLease l = cache.acquireLock("res", new LockOptions().setTimeout(2)).await();
    assertNotNull(l);
    assertEquals("res", l.getName());
    assertEquals(32, l.getToken().length());
    assertTrue(l.getToken().matches("[0-9a-f]{32}"), l.getToken());
    assertEquals(2000L, l.getLeaseMs());
    assertEquals(1, l.getVersion());
    assertTrue(l.getExpiresAt() >= before + 2000 && l.getExpiresAt() <= System.currentTimeMillis() + 2000, l.toString());
    assertTrue(cache.hasKey("res").await());
    assertEquals(l.getToken(), fx.redis(Command.GET, fx.stored("res", 1)).toString());
    long pttl = fx.redis(Command.PTTL, fx.stored("res", 1)).toLong();
    assertTrue(pttl > 1500 && pttl <= 2000, "pttl " + pttl);
    // the counter is among the service's own keys, expiring a while after the lease
    String fence = fenceKey(fx.stored("res", 1));
    assertEquals(l.getFencingToken(), fx.redis(Command.GET, fence).toLong());
    long ttl = fx.redis(Command.PTTL, fence).toLong();
    assertTrue(ttl > 2_000 && ttl <= 2_000 + io.cachex.service.locks.LockKeys.FENCE_RETENTION_MS, "counter ttl " + ttl);

    JsonObject st = cache.lockStatus("res", l, null).await();
    assertEquals(true, st.getBoolean("held"));
    assertEquals(true, st.getBoolean("ownedByLease"));
    assertTrue(st.getLong("ttlMs") > 1000, st.encode());
    assertNull(cache.lockStatus("res", null, null).await().getValue("ownedByLease"));

    cache.releaseLock(l).await();
    assertFalse(cache.hasKey("res").await());
    st = cache.lockStatus("res", l, null).await();
    assertEquals(new JsonObject().put("held", false).put("ownedByLease", false).putNull("ttlMs"), st);

    LockLease next = cache.acquireLock("res", new LockOptions().setTimeout(2)).await();
    assertTrue(next.getFencingToken() > l.getFencingToken());
    assertNotEquals(l.getToken(), next.getToken());
    cache.releaseLock(next).await();
    assertFails(CachexError.LOCK_NOT_OWNED, cache.releaseLock(next));
  }

  @Test
  void versionedLocksAndHashTaggedFence() {
    LockLease l = cache.acquireLock("{user42}:edit", lease(2000), 3).await();
    assertEquals(3, l.getVersion());
    assertTrue(cache.hasKey("{user42}:edit", 3).await());
    assertFalse(cache.hasKey("{user42}:edit").await());
    assertEquals(l.getFencingToken(), fx.redis(Command.GET, fenceKey(fx.stored("{user42}:edit", 3))).toLong());
    assertEquals(true, cache.lockStatus("{user42}:edit", l, null).await().getBoolean("ownedByLease"), "version from the lease");
    cache.releaseLock(l).await();
  }

  @Test
  void badOptionsAreInvalidArgument() {
    assertFails(CachexError.INVALID_ARGUMENT, cache.acquireLock("x", new LockOptions().setTimeout(0)));
    assertFails(CachexError.INVALID_ARGUMENT, cache.acquireLock("x", new LockOptions(new JsonObject().putNull("timeout"))));
    assertFails(CachexError.INVALID_ARGUMENT, cache.acquireLock("x", new LockOptions().setSleep(-1)));
    assertFails(CachexError.INVALID_ARGUMENT, cache.acquireLock("", null));
    assertFails(CachexError.INVALID_ARGUMENT, cache.releaseLock(new LockLease().setName("x")));
    LockLease l = cache.acquireLock("x", lease(1000)).await();
    assertFails(CachexError.INVALID_ARGUMENT, cache.extendLock(l, 0L, null));
    cache.releaseLock(l).await();
    assertFalse(cache.hasKey("x").await());
  }

  @Test
  void extendAddsOrReplaces() {
    LockLease l = cache.acquireLock("ext", lease(1000)).await();
    LockLease added = cache.extendLock(l, 5000L, null).await();
    long pttl = fx.redis(Command.PTTL, fx.stored("ext", 1)).toLong();
    assertTrue(pttl > 5500 && pttl <= 6000, "added to the remaining: " + pttl);
    assertTrue(added.getExpiresAt() >= l.getExpiresAt() + 4900, added + " vs " + l);
    assertEquals(l.getFencingToken(), added.getFencingToken());
    assertEquals(l.getToken(), added.getToken());
    LockLease replaced = cache.extendLock(added, 800L, true).await();
    pttl = fx.redis(Command.PTTL, fx.stored("ext", 1)).toLong();
    assertTrue(pttl > 600 && pttl <= 800, "replaced: " + pttl);
    assertTrue(replaced.getExpiresAt() < added.getExpiresAt());
    cache.releaseLock(replaced).await();
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendLock(replaced, 1000L, null));
  }

  @Test
  void expiredHolderIsRefusedAndNextHolderFencesHigher() throws Exception {
    LockLease stale = cache.acquireLock("exp", lease(300)).await();
    long t0 = System.currentTimeMillis();
    LockLease next = cache.acquireLock("exp", lease(5000).setSleep(0.02).setBlockingTimeout(3)).await();
    long waited = System.currentTimeMillis() - t0;
    assertNotNull(next);
    assertTrue(waited >= 200, "acquired only after the 300 ms lease ran out: " + waited);
    assertTrue(next.getFencingToken() > stale.getFencingToken());
    assertFails(CachexError.LOCK_NOT_OWNED, cache.releaseLock(stale));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendLock(stale, 1000L, null));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendLock(stale, 1000L, true));
    JsonObject st = cache.lockStatus("exp", stale, null).await();
    assertEquals(true, st.getBoolean("held"));
    assertEquals(false, st.getBoolean("ownedByLease"));
    assertEquals(true, cache.lockStatus("exp", next, null).await().getBoolean("ownedByLease"), "the stale release left it alone");
    cache.releaseLock(next).await();
  }

  @Test
  void nonBlockingAcquireOnHeldLockFailsFast() {
    LockLease held = cache.acquireLock("nb", lease(5000)).await();
    long t0 = System.nanoTime();
    assertNull(cache.acquireLock("nb", lease(5000).setBlocking(false)).await());
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < 300, "no waiting: " + ms + " ms");
    cache.releaseLock(held).await();
    LockLease free = cache.acquireLock("nb", lease(5000).setBlocking(false)).await();
    assertNotNull(free);
    cache.releaseLock(free).await();
  }

  @Test
  void blockingAcquireWakesOnReleaseNotByPolling() throws Exception {
    // warm the subscription up so the first notification is not raced by its SUBSCRIBE
    assertNull(cache.acquireLock("wake-warm", lease(1000)).compose(l ->
        cache.acquireLock("wake-warm", lease(1000).setBlockingTimeout(0.05)).compose(n -> cache.releaseLock(l).map(n))).await());
    LockLease held = cache.acquireLock("wake", lease(10_000)).await();
    CompletableFuture<Long> acquiredAt = new CompletableFuture<>();
    Future<LockLease> waiting = cache.acquireLock("wake", lease(5000).setSleep(5).setBlockingTimeout(10))
        .onSuccess(l -> acquiredAt.complete(System.nanoTime()));
    Thread.sleep(300); // the waiter made its first attempt and sleeps 5 s unless woken
    assertFalse(waiting.isComplete());
    long released = System.nanoTime();
    cache.releaseLock(held).await();
    long wokeAfter = TimeUnit.NANOSECONDS.toMillis(acquiredAt.get(4, TimeUnit.SECONDS) - released);
    assertTrue(wokeAfter < 1000, "woken by the release, not the 5 s poll: " + wokeAfter + " ms");
    LockLease got = waiting.await();
    assertTrue(got.getFencingToken() > held.getFencingToken());
    cache.releaseLock(got).await();
  }

  @Test
  void fencingTokensKeepIncreasingWhenTheCounterIsGoneAndStayOutOfTheCallersKeys() {
    LockLease first = cache.acquireLock("fz", lease(2000)).await();
    cache.releaseLock(first).await();
    // an evicted or expired counter: the next token is still larger
    fx.redis(Command.DEL, fenceKey(fx.stored("fz", 1)));
    LockLease second = cache.acquireLock("fz", lease(2000)).await();
    assertTrue(second.getFencingToken() > first.getFencingToken(), first.getFencingToken() + " then " + second.getFencingToken());
    LockLease third = cache.acquireLock("fz", lease(2000).setBlockingTimeout(0.3)).compose(l -> l == null
        ? io.vertx.core.Future.succeededFuture(null) : cache.releaseLock(l).map(l)).await();
    assertNull(third, "held by the second lease");
    assertTrue(cache.keys("*").await().stream().noneMatch(k -> k.contains("fence")), "counters are not caller keys");
    cache.releaseLock(second).await();
  }

  @Test
  void waitTimeoutHonoured() {
    LockLease held = cache.acquireLock("wait", lease(10_000)).await();
    long t0 = System.nanoTime();
    assertNull(cache.acquireLock("wait", lease(1000).setBlockingTimeout(0.5)).await());
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms >= 500 && ms < 2000, "waited " + ms + " ms");
    cache.releaseLock(held).await();
  }

  @Test
  void withLockReleasesOnSuccessAndFailure() {
    assertEquals("done", Locks.withLock(cache, "wl", lease(5000), () -> cache.hasKey("wl").map(held -> {
      assertTrue(held);
      return "done";
    })).await());
    assertFalse(cache.hasKey("wl").await());
    RuntimeException boom = new RuntimeException("boom");
    try {
      Locks.withLock(cache, "wl", lease(5000), () -> Future.<String>failedFuture(boom)).await();
      throw new AssertionError("expected the work's failure");
    } catch (RuntimeException e) {
      assertEquals("boom", e.getMessage());
    }
    assertFalse(cache.hasKey("wl").await(), "released after a failed future");
    try {
      Locks.withLock(cache, "wl", lease(5000), () -> {
        throw new IllegalStateException("thrown");
      }).await();
      throw new AssertionError("expected the thrown failure");
    } catch (IllegalStateException e) {
      assertEquals("thrown", e.getMessage());
    }
    assertFalse(cache.hasKey("wl").await(), "released after a throw");
    LockLease held = cache.acquireLock("wl", lease(5000)).await();
    AtomicBoolean ran = new AtomicBoolean();
    assertFails(CachexError.TIMEOUT, Locks.withLock(cache, "wl", lease(5000).setBlocking(false), () -> {
      ran.set(true);
      return Future.succeededFuture();
    }));
    assertFalse(ran.get());
    cache.releaseLock(held).await();
  }

  @Test
  void lockKeeperKeepsShortLeaseAlive() throws Exception {
    // a lease of 1 s kept for three of them (renewals every third of a lease leave room on a loaded machine)
    LockLease l = cache.acquireLock("kept", lease(1000)).await();
    LockKeeper keeper = LockKeeper.start(vertx, cache, l);
    Thread.sleep(3000);
    assertFalse(keeper.isLost());
    assertEquals(true, cache.lockStatus("kept", l, null).await().getBoolean("ownedByLease"));
    assertNull(cache.acquireLock("kept", lease(300).setBlocking(false)).await());
    assertTrue(keeper.lease().getExpiresAt() > l.getExpiresAt() + 1500, "renewed: " + keeper.lease());
    keeper.release().await();
    assertFalse(cache.hasKey("kept").await());

    // a kept lease taken away is reported lost
    LockLease k2 = cache.acquireLock("kept2", lease(300)).await();
    LockKeeper lost = LockKeeper.start(vertx, cache, k2);
    fx.redis(Command.DEL, fx.stored("kept2", 1));
    Throwable cause = lost.lost().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
    assertEquals(CachexError.LOCK_NOT_OWNED, CachexError.of(cause));
  }

  @Test
  void eightContendersOnTwoVertxInstances() throws Exception {
    Vertx other = Vertx.vertx();
    CachexFixture fx2 = CachexFixture.deploy(other, new JsonObject().put("keyPrefix", fx.prefix));
    try {
      cache.set("counter", 0L).await();
      List<Long> fences = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 8; i++) {
        CachexService c = i < 4 ? cache : fx2.cache;
        Thread t = new Thread(() -> {
          try {
            for (int n = 0; n < 200; n++) {
              LockLease l = c.acquireLock("counter-lock", lease(5000).setBlockingTimeout(20)).await();
              assertNotNull(l, "acquired within the wait");
              fences.add(l.getFencingToken());
              long v = ((Number) c.get("counter").await()).longValue();
              c.set("counter", v + 1).await();
              c.releaseLock(l).await();
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(120_000);
      }
      assertTrue(errors.isEmpty(), () -> "contender failed: " + errors);
      assertEquals(1600L, cache.get("counter").await());
      assertEquals(1600, fences.size());
      for (int i = 1; i < fences.size(); i++) {
        assertTrue(fences.get(i) > fences.get(i - 1), "fencing tokens increase in critical-section order at " + i);
      }
    } finally {
      fx2.undeploy();
      other.close().await();
    }
  }
}
