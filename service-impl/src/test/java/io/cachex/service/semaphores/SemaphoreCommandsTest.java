package io.cachex.service.semaphores;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.LeaseKeeper;
import io.cachex.api.SemaphoreLease;
import io.cachex.api.SemaphoreOptions;
import io.cachex.api.Semaphores;
import io.cachex.service.redis.ClusterNodes;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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

/**
 * Semaphores through the proxy: capacity and weights, leases that are reclaimed when they run out,
 * a count that heals when a key is evicted, first come first served, wake-up on release, helpers,
 * and contenders on two Vert.x instances that never hold more than the capacity.
 */
@Tag("contract")
class SemaphoreCommandsTest extends ServiceTest {

  static SemaphoreOptions lease(long ms) {
    return new SemaphoreOptions().setLeaseMs(ms);
  }

  static JsonObject status(String name) {
    return cache.semaphoreStatus(name, null, null).await();
  }

  /** The semaphore's keys as stored: inside the service's namespace, one hash tag, each with an expiry. */
  static List<String> keysOf(String name) {
    List<String> found = new ArrayList<>();
    for (String suffix : List.of(":claims", ":queue", ":alive")) {
      String key = fx.prefix + ":cachex:sem:" + (fx.prefix.startsWith("{") ? fx.stored(name, 1) : "{" + fx.stored(name, 1) + "}") + suffix;
      if (fx.redis(Command.EXISTS, key).toLong() == 1) {
        found.add(key);
      }
    }
    return found;
  }

  @Test
  void permitHoldsItsWeightUntilReleased() {
    long before = System.currentTimeMillis();
    SemaphoreLease l = cache.acquireSemaphore("sem", 3, lease(5000).setWeight(2)).await();
    assertNotNull(l);
    assertEquals("sem", l.getName());
    assertTrue(l.getToken().matches("[0-9a-f]{32}"), l.getToken());
    assertEquals(2, l.getWeight());
    assertEquals(5000L, l.getLeaseMs());
    assertEquals(1, l.getVersion());
    assertTrue(l.getExpiresAt() >= before + 5000 && l.getExpiresAt() <= System.currentTimeMillis() + 5000, l.toString());
    JsonObject st = cache.semaphoreStatus("sem", l, null).await();
    assertEquals(2L, st.getLong("used"));
    assertEquals(1L, st.getLong("holders"));
    assertEquals(0L, st.getLong("waiting"));
    assertEquals(true, st.getBoolean("ownedByLease"));
    assertTrue(st.getLong("ttlMs") > 4000 && st.getLong("ttlMs") <= 5000, st.encode());
    assertNull(status("sem").getValue("ownedByLease"));
    List<String> keys = keysOf("sem");
    assertEquals(1, keys.size(), "only the claims exist while nobody waits: " + keys);
    long pttl = fx.redis(Command.PTTL, keys.get(0)).toLong();
    assertTrue(pttl > 4000 && pttl <= 5000, "the claims key expires with its last claim: " + pttl);
    assertFalse(cache.hasKey("sem").await(), "the semaphore is not a value of the caller's namespace");

    cache.releaseSemaphore(l).await();
    st = cache.semaphoreStatus("sem", l, null).await();
    assertEquals(new JsonObject().put("used", 0L).put("holders", 0L).put("waiting", 0L).put("ownedByLease", false).putNull("ttlMs"), st);
    assertEquals(List.of(), keysOf("sem"), "nothing left behind");
    assertFails(CachexError.LOCK_NOT_OWNED, cache.releaseSemaphore(l));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendSemaphore(l, 1000L));
  }

  @Test
  void weightsCountAgainstTheCapacity() {
    SemaphoreLease three = cache.acquireSemaphore("w", 5, lease(5000).setWeight(3)).await();
    assertNull(cache.acquireSemaphore("w", 5, lease(5000).setWeight(3).setBlocking(false)).await(), "3 + 3 > 5");
    SemaphoreLease two = cache.acquireSemaphore("w", 5, lease(5000).setWeight(2).setBlocking(false)).await();
    assertNotNull(two, "3 + 2 = 5 fits");
    assertEquals(5L, status("w").getLong("used"));
    assertEquals(2L, status("w").getLong("holders"));
    assertNull(cache.acquireSemaphore("w", 5, lease(5000).setBlocking(false)).await(), "full");
    cache.releaseSemaphore(three).await();
    SemaphoreLease again = cache.acquireSemaphore("w", 5, lease(5000).setWeight(3).setBlocking(false)).await();
    assertNotNull(again);
    cache.releaseSemaphore(two).await();
    cache.releaseSemaphore(again).await();
    // versions are separate semaphores
    SemaphoreLease v2 = cache.acquireSemaphore("w", 1, lease(5000), 2).await();
    SemaphoreLease v1 = cache.acquireSemaphore("w", 1, lease(5000).setBlocking(false)).await();
    assertNotNull(v1);
    assertEquals(2, v2.getVersion());
    assertEquals(1L, cache.semaphoreStatus("w", v2, null).await().getLong("used"), "version from the lease");
    cache.releaseSemaphore(v1).await();
    cache.releaseSemaphore(v2).await();
  }

  @Test
  void anExpiredPermitIsReclaimedAndItsHolderRefused() throws Exception {
    SemaphoreLease stale = cache.acquireSemaphore("exp", 1, lease(300)).await();
    assertNull(cache.acquireSemaphore("exp", 1, lease(5000).setBlocking(false)).await());
    long t0 = System.nanoTime();
    SemaphoreLease next = cache.acquireSemaphore("exp", 1, lease(5000).setSleep(5).setBlockingTimeout(5)).await();
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertNotNull(next, "the permit came back when its lease ran out");
    assertTrue(waited < 3000, "the waiter looked again when the claim ran out, not after its 5 s sleep: " + waited + " ms");
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendSemaphore(stale, 1000L));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.releaseSemaphore(stale));
    assertEquals(true, cache.semaphoreStatus("exp", next, null).await().getBoolean("ownedByLease"), "the stale release left it alone");
    assertEquals(false, cache.semaphoreStatus("exp", stale, null).await().getBoolean("ownedByLease"));
    cache.releaseSemaphore(next).await();
  }

  @Test
  void theCountHealsWhenAKeyIsEvicted() {
    SemaphoreLease a = cache.acquireSemaphore("evict", 2, lease(60_000)).await();
    SemaphoreLease b = cache.acquireSemaphore("evict", 2, lease(60_000)).await();
    assertNull(cache.acquireSemaphore("evict", 2, lease(60_000).setBlocking(false)).await());
    // eviction under maxmemory drops whole keys: the units in use are the claims, so they go with them
    keysOf("evict").forEach(k -> fx.redis(Command.DEL, k));
    assertEquals(0L, status("evict").getLong("used"));
    SemaphoreLease c = cache.acquireSemaphore("evict", 2, lease(60_000).setBlocking(false)).await();
    assertNotNull(c, "not wedged at capacity");
    assertFails(CachexError.LOCK_NOT_OWNED, cache.releaseSemaphore(a));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendSemaphore(b, 1000L));
    cache.releaseSemaphore(c).await();
  }

  @Test
  void extendAddsOrReplaces() {
    SemaphoreLease l = cache.acquireSemaphore("ext", 1, lease(1000)).await();
    SemaphoreLease added = cache.extendSemaphore(l, 5000L).await();
    long ttl = cache.semaphoreStatus("ext", l, null).await().getLong("ttlMs");
    assertTrue(ttl > 5500 && ttl <= 6000, "added to the remaining: " + ttl);
    assertTrue(added.getExpiresAt() >= l.getExpiresAt() + 4900, added + " vs " + l);
    assertEquals(l.getToken(), added.getToken());
    SemaphoreLease replaced = cache.extendSemaphore(added, 800L, true).await();
    ttl = cache.semaphoreStatus("ext", l, null).await().getLong("ttlMs");
    assertTrue(ttl > 600 && ttl <= 800, "replaced: " + ttl);
    assertTrue(replaced.getExpiresAt() < added.getExpiresAt());
    cache.releaseSemaphore(replaced).await();
  }

  @Test
  void aBlockingAcquireWakesOnReleaseNotByPolling() throws Exception {
    SemaphoreLease held = cache.acquireSemaphore("wake", 1, lease(10_000)).await();
    CompletableFuture<Long> acquiredAt = new CompletableFuture<>();
    Future<SemaphoreLease> waiting = cache.acquireSemaphore("wake", 1, lease(5000).setSleep(5).setBlockingTimeout(8))
        .onSuccess(l -> acquiredAt.complete(System.nanoTime()));
    awaitWaiting("wake", 1);
    assertFalse(waiting.isComplete());
    long released = System.nanoTime();
    cache.releaseSemaphore(held).await();
    long wokeAfter = TimeUnit.NANOSECONDS.toMillis(acquiredAt.get(4, TimeUnit.SECONDS) - released);
    assertTrue(wokeAfter < 1000, "woken by the release, not the 5 s poll: " + wokeAfter + " ms");
    cache.releaseSemaphore(waiting.await()).await();
  }

  static void awaitWaiting(String name, long n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5000;
    while (status(name).getLong("waiting") < n) {
      assertTrue(System.currentTimeMillis() < deadline, "waiters queued: " + status(name));
      Thread.sleep(10);
    }
  }

  @Test
  void waitersAreServedFirstComeFirstServed() throws Exception {
    SemaphoreLease held = cache.acquireSemaphore("fifo", 1, lease(10_000)).await();
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      done.add(cache.acquireSemaphore("fifo", 1, lease(5000).setBlockingTimeout(10)).compose(l -> {
        order.add(n);
        return cache.releaseSemaphore(l);
      }));
      awaitWaiting("fifo", i + 1); // queued before the next one arrives
    }
    // room for a newcomer does not let it pass the queue
    assertNull(cache.acquireSemaphore("fifo", 2, lease(5000).setBlocking(false)).await(), "no barging past the queue");
    cache.releaseSemaphore(held).await();
    Future.all(done).await();
    assertEquals(List.of(0, 1, 2, 3, 4), order);
    assertEquals(0L, status("fifo").getLong("waiting"));
  }

  @Test
  void aWaitThatEndsLeavesTheQueue() {
    SemaphoreLease held = cache.acquireSemaphore("leave", 1, lease(10_000)).await();
    long t0 = System.nanoTime();
    assertNull(cache.acquireSemaphore("leave", 1, lease(1000).setBlockingTimeout(0.4)).await());
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms >= 400 && ms < 3000, "waited " + ms + " ms");
    assertEquals(0L, status("leave").getLong("waiting"), "left the queue");
    cache.releaseSemaphore(held).await();
    SemaphoreLease next = cache.acquireSemaphore("leave", 1, lease(1000).setBlocking(false)).await();
    assertNotNull(next, "nobody left at the head of the queue");
    cache.releaseSemaphore(next).await();
  }

  @Test
  void badInputIsInvalidArgumentNamingTheField() {
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.acquireSemaphore("b", 0, lease(1000))).getMessage().contains("capacity"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.acquireSemaphore("b", 2, lease(1000).setWeight(0)))
        .getMessage().contains("options.weight"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.acquireSemaphore("b", 2, lease(1000).setWeight(3)))
        .getMessage().contains("options.weight"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.acquireSemaphore("b", 2, new SemaphoreOptions()))
        .getMessage().contains("options.lease"), "a permit always has a lease");
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.acquireSemaphore("b", 2, new SemaphoreOptions().setLease(0)))
        .getMessage().contains("options.lease"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, fx.request("acquireSemaphore", new JsonObject().put("name", "b").put("capacity", 2)))
        .getMessage().contains("options"));
    // the reference's "timeout" is the wait; here the fields say what they are
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, fx.request("acquireSemaphore", new JsonObject().put("name", "b").put("capacity", 2)
        .put("options", new JsonObject().put("lease", 1).put("timeout", 5)))).getMessage().contains("options.timeout"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.releaseSemaphore(new SemaphoreLease().setName("b").setToken("t")))
        .getMessage().contains("lease.weight"));
    SemaphoreLease l = cache.acquireSemaphore("b", 1, lease(1000)).await();
    assertFails(CachexError.INVALID_ARGUMENT, cache.extendSemaphore(l, 0L));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.releaseSemaphore(new SemaphoreLease(l.toJson().copy()).setWeight(2)));
    cache.releaseSemaphore(l).await();
    assertEquals(0L, status("b").getLong("used"));
  }

  @Test
  void withPermitReleasesOnSuccessAndFailure() {
    assertEquals("done", Semaphores.withPermit(cache, "wp", 1, lease(5000), () -> cache.semaphoreStatus("wp", null, null).map(st -> {
      assertEquals(1L, st.getLong("used"));
      return "done";
    })).await());
    assertEquals(0L, status("wp").getLong("used"));
    try {
      Semaphores.withPermit(cache, "wp", 1, lease(5000), () -> Future.<String>failedFuture(new RuntimeException("boom"))).await();
      throw new AssertionError("expected the work's failure");
    } catch (RuntimeException e) {
      assertEquals("boom", e.getMessage());
    }
    assertEquals(0L, status("wp").getLong("used"), "released after a failed future");
    try {
      Semaphores.withPermit(cache, "wp", 1, lease(5000), () -> {
        throw new IllegalStateException("thrown");
      }).await();
      throw new AssertionError("expected the thrown failure");
    } catch (IllegalStateException e) {
      assertEquals("thrown", e.getMessage());
    }
    assertEquals(0L, status("wp").getLong("used"), "released after a throw");
    SemaphoreLease held = cache.acquireSemaphore("wp", 1, lease(5000)).await();
    AtomicBoolean ran = new AtomicBoolean();
    assertFails(CachexError.TIMEOUT, Semaphores.withPermit(cache, "wp", 1, lease(5000).setBlocking(false), () -> {
      ran.set(true);
      return Future.succeededFuture();
    }));
    assertFalse(ran.get());
    cache.releaseSemaphore(held).await();
  }

  @Test
  void aKeeperKeepsAShortPermitAlive() throws Exception {
    SemaphoreLease l = cache.acquireSemaphore("kept", 1, lease(300)).await();
    LeaseKeeper<SemaphoreLease> keeper = LeaseKeeper.forSemaphore(vertx, cache, l);
    Thread.sleep(1500);
    assertFalse(keeper.isLost());
    assertEquals(true, cache.semaphoreStatus("kept", l, null).await().getBoolean("ownedByLease"));
    assertNull(cache.acquireSemaphore("kept", 1, lease(300).setBlocking(false)).await());
    keeper.release().await();
    assertEquals(0L, status("kept").getLong("used"));
    // a kept permit taken away is reported lost
    SemaphoreLease k2 = cache.acquireSemaphore("kept2", 1, lease(300)).await();
    LeaseKeeper<SemaphoreLease> lost = LeaseKeeper.forSemaphore(vertx, cache, k2);
    keysOf("kept2").forEach(k -> fx.redis(Command.DEL, k));
    Throwable cause = lost.lost().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
    assertEquals(CachexError.LOCK_NOT_OWNED, CachexError.of(cause));
  }

  /** One tenure: wall-clock micros when the permit was granted (reply received) and when its release was sent. */
  record Tenure(int weight, long fromMicros, long toMicros) {
  }

  static long micros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  /** The largest sum of weights held at one instant, from tenures recorded inside the real holding times. */
  static int maxConcurrentWeight(List<Tenure> tenures) {
    int max = 0;
    for (Tenure a : tenures) {
      int sum = 0;
      for (Tenure b : tenures) {
        if (b.fromMicros() <= a.fromMicros() && a.fromMicros() < b.toMicros()) {
          sum += b.weight();
        }
      }
      max = Math.max(max, sum);
    }
    return max;
  }

  @Test
  void contendersOnTwoVertxInstancesNeverExceedTheCapacity() throws Exception {
    Vertx other = Vertx.vertx();
    CachexFixture fx2 = CachexFixture.deploy(other, new JsonObject().put("keyPrefix", fx.prefix));
    try {
      int capacity = 3;
      List<Tenure> tenures = Collections.synchronizedList(new ArrayList<>());
      List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
      List<Long> gauge = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        CachexService c = i % 2 == 0 ? cache : fx2.cache;
        int seed = i;
        Thread t = new Thread(() -> {
          Random random = new Random(seed);
          try {
            for (int n = 0; n < 40; n++) {
              int weight = 1 + random.nextInt(2);
              SemaphoreLease l = c.acquireSemaphore("contended", capacity, lease(10_000).setWeight(weight).setBlockingTimeout(20)).await();
              assertNotNull(l, "acquired within the wait");
              long from = micros();
              // a gauge on the server: units inside, as counted by the holders themselves
              gauge.add(fx.redis(Command.INCRBY, fx.stored("contended-gauge", 1), weight).toLong());
              Thread.sleep(random.nextInt(5));
              fx.redis(Command.DECRBY, fx.stored("contended-gauge", 1), weight);
              long to = micros();
              c.releaseSemaphore(l).await();
              tenures.add(new Tenure(weight, from, to));
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
      assertEquals(320, tenures.size());
      int max = maxConcurrentWeight(tenures);
      long maxGauge = gauge.stream().mapToLong(Long::longValue).max().orElse(0);
      System.out.println("semaphore contention figures: tenures=" + tenures.size() + " capacity=" + capacity
          + " maxConcurrentWeight=" + max + " maxGauge=" + maxGauge);
      assertTrue(max <= capacity, "held at once: " + max);
      assertTrue(maxGauge <= capacity, "gauge: " + maxGauge);
      assertNotEquals(0, max);
      assertEquals(0L, status("contended").getLong("used"));
    } finally {
      fx2.undeploy();
      other.close().await();
    }
  }

  @Test
  void keysStayInsideTheNamespaceWithAnExpiryWhileWaitersQueue() throws Exception {
    SemaphoreLease held = cache.acquireSemaphore("ns", 1, lease(10_000)).await();
    Future<SemaphoreLease> waiting = cache.acquireSemaphore("ns", 1, lease(1000).setBlockingTimeout(5));
    awaitWaiting("ns", 1);
    List<String> keys = keysOf("ns");
    assertEquals(3, keys.size(), "claims, queue and liveness: " + keys);
    for (String k : keys) {
      assertTrue(k.startsWith(fx.prefix + ":cachex:sem:"), k);
      long pttl = fx.redis(Command.PTTL, k).toLong();
      assertTrue(pttl > 0, k + " has an expiry: " + pttl);
    }
    for (String k : keys) {
      assertEquals(ClusterNodes.slot(keys.get(0)), ClusterNodes.slot(k), "one hash slot per semaphore: " + keys);
    }
    cache.releaseSemaphore(held).await();
    cache.releaseSemaphore(waiting.await()).await();
  }
}
