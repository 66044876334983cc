package io.cachex.service.compute;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.ComputeLease;
import io.cachex.api.ComputeOptions;
import io.cachex.api.ExpiryOptions;
import io.cachex.api.LeaseOptions;
import io.cachex.api.LeaseResult;
import io.cachex.api.Pipeline;
import io.cachex.api.SetOptions;
import io.cachex.api.Stampede;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cachex.api.JsonValues.box;
import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compute once through the proxy: the lease protocol step by step (lease, busy, store, give up, run
 * out, extend, a write that wins over the lease, a refresh before expiry), then getOrCompute with many
 * callers on two Vert.x instances, a loader that fails, a wait that ends, and bad input.
 */
@Tag("contract")
class ComputeCommandsTest extends ServiceTest {

  static LeaseOptions noWait() {
    return new LeaseOptions().setBlocking(false);
  }

  static String leaseKeyOf(String key) {
    String stored = fx.stored(key, 1);
    return fx.prefix + ":cachex:lease:" + (fx.prefix.startsWith("{") ? stored : "{" + stored + "}");
  }

  @Test
  void aMissGrantsOneLeaseAndTheStoredValueEndsIt() {
    long before = System.currentTimeMillis();
    LeaseResult first = cache.getOrLease("p", new LeaseOptions().setLeaseMs(5000)).await();
    assertTrue(first.isLease(), first.toString());
    assertFalse(first.hasStale());
    ComputeLease lease = first.getLease();
    assertEquals("p", lease.getKey());
    assertTrue(lease.getToken().matches("[0-9a-f]{32}"), lease.getToken());
    assertEquals(5000L, lease.getLeaseMs());
    assertEquals(1, lease.getVersion());
    assertTrue(lease.getExpiresAt() >= before + 5000 && lease.getExpiresAt() <= System.currentTimeMillis() + 5000);
    long pttl = fx.redis(Command.PTTL, leaseKeyOf("p")).toLong();
    assertTrue(pttl > 4000 && pttl <= 5000, "the lease key lives in the service's namespace and expires: " + pttl);
    assertFalse(cache.hasKey("p").await(), "no placeholder in the caller's key");

    LeaseResult second = cache.getOrLease("p", noWait()).await();
    assertTrue(second.isBusy(), second.toString());
    assertTrue(second.getRetryMs() > 0 && second.getRetryMs() <= 5000, second.toString());

    assertTrue(cache.setLeased(lease, new JsonObject().put("n", 1), ExpiryOptions.timeout(60)).await());
    assertEquals(new JsonObject().put("n", 1), cache.get("p").await());
    assertTrue(fx.redis(Command.PTTL, fx.stored("p", 1)).toLong() > 50_000);
    assertEquals(0L, fx.redis(Command.EXISTS, leaseKeyOf("p")).toLong(), "the lease ended");
    LeaseResult hit = cache.getOrLease("p").await();
    assertTrue(hit.isHit());
    assertEquals(new JsonObject().put("n", 1), hit.getValue());
    assertFails(CachexError.LOCK_NOT_OWNED, cache.setLeased(lease, "again", null));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.releaseLease(lease));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendLease(lease, 1000L, null));
  }

  @Test
  void aStoredNullIsAHit() {
    ComputeLease lease = cache.getOrLease("null-v", noWait()).await().getLease();
    assertTrue(cache.setLeased(lease, null, ExpiryOptions.timeout(60)).await());
    LeaseResult hit = cache.getOrLease("null-v", noWait()).await();
    assertTrue(hit.isHit());
    assertNull(hit.getValue());
  }

  @Test
  void aWaiterGetsTheValueWhenItIsStoredNotByPolling() throws Exception {
    ComputeLease lease = cache.getOrLease("w", new LeaseOptions().setLeaseMs(10_000)).await().getLease();
    CompletableFuture<Long> gotAt = new CompletableFuture<>();
    Future<LeaseResult> waiting = cache.getOrLease("w", new LeaseOptions().setSleep(5).setBlockingTimeout(8))
        .onSuccess(r -> gotAt.complete(System.nanoTime()));
    Thread.sleep(300);
    assertFalse(waiting.isComplete(), "waits while the lease is held");
    long stored = System.nanoTime();
    assertTrue(cache.setLeased(lease, "computed", ExpiryOptions.timeout(60)).await());
    long after = TimeUnit.NANOSECONDS.toMillis(gotAt.get(4, TimeUnit.SECONDS) - stored);
    assertTrue(after < 1000, "woken by the store, not the 5 s sleep: " + after + " ms");
    assertEquals("computed", waiting.await().getValue());
  }

  @Test
  void aLeaseGivenUpOrRunOutPassesToTheNextWaiter() throws Exception {
    ComputeLease first = cache.getOrLease("pass", new LeaseOptions().setLeaseMs(10_000)).await().getLease();
    Future<LeaseResult> next = cache.getOrLease("pass", new LeaseOptions().setLeaseMs(1000).setSleep(5).setBlockingTimeout(8));
    Thread.sleep(200);
    long t0 = System.nanoTime();
    cache.releaseLease(first).await();
    LeaseResult r = next.await();
    assertTrue(r.isLease(), "the waiter computes now: " + r);
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1000, "at once");
    assertFails(CachexError.LOCK_NOT_OWNED, cache.setLeased(first, "late", null));

    // a holder that stops extending (it died): its lease runs out and passes on
    Future<LeaseResult> third = cache.getOrLease("pass", new LeaseOptions().setSleep(5).setBlockingTimeout(8));
    long t1 = System.nanoTime();
    LeaseResult took = third.await();
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
    assertTrue(took.isLease(), took.toString());
    assertTrue(waited < 1000 + 2000, "once the 1 s lease ran out, not after the 5 s sleep: " + waited);
    assertTrue(cache.setLeased(took.getLease(), "v", ExpiryOptions.timeout(60)).await());
    assertFails(CachexError.LOCK_NOT_OWNED, cache.setLeased(r.getLease(), "late", null));
  }

  @Test
  void aShortLeaseRunsOutAndTheWaiterTakesIt() {
    cache.getOrLease("short", new LeaseOptions().setLeaseMs(300)).await();
    long t0 = System.nanoTime();
    LeaseResult r = cache.getOrLease("short", new LeaseOptions().setSleep(5).setBlockingTimeout(5)).await();
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(r.isLease(), r.toString());
    assertTrue(waited < 3000, "looked again when the lease ran out, not after the 5 s sleep: " + waited);
  }

  @Test
  void extendAddsOrReplaces() {
    ComputeLease lease = cache.getOrLease("ext", new LeaseOptions().setLeaseMs(1000)).await().getLease();
    ComputeLease added = cache.extendLease(lease, 5000L, null).await();
    long pttl = fx.redis(Command.PTTL, leaseKeyOf("ext")).toLong();
    assertTrue(pttl > 5500 && pttl <= 6000, "added: " + pttl);
    assertTrue(added.getExpiresAt() >= lease.getExpiresAt() + 4900);
    cache.extendLease(added, 800L, true).await();
    pttl = fx.redis(Command.PTTL, leaseKeyOf("ext")).toLong();
    assertTrue(pttl > 600 && pttl <= 800, "replaced: " + pttl);
    cache.releaseLease(added).await();
    assertFails(CachexError.LOCK_NOT_OWNED, cache.extendLease(added, 1000L, null));
  }

  @Test
  void aWriteMadeWhileTheValueWasComputedWins() {
    ComputeLease lease = cache.getOrLease("race", noWait()).await().getLease();
    cache.set("race", "written meanwhile").await();
    assertFalse(cache.setLeased(lease, "computed from older data", ExpiryOptions.timeout(60)).await(), "not stored");
    assertEquals("written meanwhile", cache.get("race").await());
    assertEquals(0L, fx.redis(Command.EXISTS, leaseKeyOf("race")).toLong(), "the lease ended anyway");
  }

  @Test
  void aRefreshBeforeExpiryGoesToOneCallerWhileTheOthersKeepTheValue() {
    Stampede policy = Stampede.policy(60, 1, 1);
    cache.set("fresh", "old", SetOptions.timeout(300), policy).await();
    // logically expired: 10 s less than the buffer left
    fx.redis(Command.PEXPIRE, fx.stored("fresh", 1), 50_000);
    CachexService single = CachexService.createProxy(fx.vertx, fx.address);
    LeaseResult refresh = single.getOrLease("fresh", noWait(), null, policy).await();
    assertTrue(refresh.isLease(), refresh.toString());
    assertTrue(refresh.hasStale());
    assertEquals("old", refresh.getStale());
    for (int i = 0; i < 5; i++) {
      LeaseResult other = single.getOrLease("fresh", noWait(), null, policy).await();
      assertTrue(other.isHit(), "one refresh at a time, the value meanwhile: " + other);
      assertEquals("old", other.getValue());
    }
    // a write made by someone else since the lease was granted (or a delete) wins over the refresh
    cache.delete("fresh").await();
    assertFalse(single.setLeased(refresh.getLease(), ExpiryOptions.timeout(300), policy, box("new")).await());
    assertNull(cache.get("fresh").await());
    // an undisturbed refresh stores its value, with the buffer
    cache.set("fresh2", "old", SetOptions.timeout(300), policy).await();
    fx.redis(Command.PEXPIRE, fx.stored("fresh2", 1), 50_000);
    LeaseResult r2 = single.getOrLease("fresh2", noWait(), null, policy).await();
    assertTrue(single.setLeased(r2.getLease(), ExpiryOptions.timeout(300), policy, box("new")).await());
    assertEquals("new", cache.get("fresh2").await());
    assertTrue(fx.redis(Command.PTTL, fx.stored("fresh2", 1)).toLong() > 300_000);
  }

  @Test
  void insideAPipelineOnlyAnAttemptThatDoesNotWait() {
    Pipeline p = cache.pipeline();
    Future<LeaseResult> once = p.ops().getOrLease("piped", noWait());
    Future<LeaseResult> blocking = p.ops().getOrLease("piped", new LeaseOptions());
    p.execute().await();
    assertTrue(once.await().isLease());
    assertFails(CachexError.NOT_SUPPORTED, blocking);
    Pipeline q = cache.pipeline();
    Future<Boolean> stored = q.ops().setLeased(once.await().getLease(), "v", null);
    Future<Object> read = q.ops().get("piped");
    q.execute().await();
    assertTrue(stored.await());
    assertEquals("v", read.await());
  }

  @Test
  void badInputIsInvalidArgumentNamingTheField() {
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.getOrLease("b", new LeaseOptions().setLeaseMs(0)))
        .getMessage().contains("options.leaseMs"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.getOrLease("b", new LeaseOptions().setLease(-1)))
        .getMessage().contains("options.lease"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.getOrLease("b", new LeaseOptions().setSleep(-1)))
        .getMessage().contains("options.sleep"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, fx.request("getOrLease", new JsonObject().put("key", "b")
        .put("options", new JsonObject().put("timeout", 5)))).getMessage().contains("options.timeout"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.setLeased(new ComputeLease().setToken("t"), "v", null))
        .getMessage().contains("lease.key"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.releaseLease(new ComputeLease().setKey("b")))
        .getMessage().contains("lease.token"));
    ComputeLease lease = cache.getOrLease("b", noWait()).await().getLease();
    assertFails(CachexError.INVALID_ARGUMENT, cache.extendLease(lease, 0L, null));
    assertFails(CachexError.LOCK_NOT_OWNED, cache.setLeased(new ComputeLease(lease.toJson().copy()).setToken("0".repeat(32)), "v", null));
    assertFalse(cache.hasKey("b").await(), "nothing stored");
    cache.releaseLease(lease).await();
  }

  // ---- getOrCompute ----

  /** A loader that counts its runs and completes after {@code ms} with the run's number. */
  static java.util.function.Supplier<Future<?>> slowLoader(Vertx on, AtomicInteger runs, long ms) {
    return () -> {
      int run = runs.incrementAndGet();
      Promise<Object> p = Promise.promise();
      on.setTimer(ms, id -> p.complete(new JsonObject().put("run", run)));
      return p.future();
    };
  }

  @Test
  void hundredsOfCallersOnTwoVertxInstancesRunTheLoaderOnce() {
    Vertx other = Vertx.vertx();
    CachexFixture fx2 = CachexFixture.deploy(other, new JsonObject().put("keyPrefix", fx.prefix));
    try {
      AtomicInteger runs = new AtomicInteger();
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        CachexService c = i % 2 == 0 ? cache : fx2.cache;
        results.add(c.getOrCompute(i % 2 == 0 ? vertx : other, "once", new ComputeOptions().setExpiry(ExpiryOptions.timeout(60)),
            slowLoader(vertx, runs, 300)));
      }
      Future.all(results).await();
      assertEquals(1, runs.get(), "the loader ran once");
      assertEquals(1, new HashSet<>(results.stream().map(Future::result).toList()).size(), "every caller got that value");
      assertEquals(new JsonObject().put("run", 1), results.get(0).result());
      assertEquals(new JsonObject().put("run", 1), cache.get("once").await());
    } finally {
      fx2.undeploy();
      other.close().await();
    }
  }

  @Test
  void aLoaderThatFailsPassesTheLeaseToTheNextCaller() {
    AtomicInteger runs = new AtomicInteger();
    List<Future<Object>> results = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      results.add(cache.getOrCompute(vertx, "fails-once", () -> {
        int run = runs.incrementAndGet();
        if (run == 1) {
          throw new IllegalStateException("loader broke");
        }
        return Future.succeededFuture(run);
      }));
    }
    Future.join(results).otherwiseEmpty().await();
    assertEquals(2, runs.get(), "one failed run, then exactly one more");
    long failed = results.stream().filter(Future::failed).count();
    assertEquals(1, failed, "only the caller whose loader broke fails");
    assertEquals("loader broke", results.stream().filter(Future::failed).findFirst().orElseThrow().cause().getMessage());
    results.stream().filter(Future::succeeded).forEach(f -> assertEquals(2L, f.result()));

    // a failed future counts the same as a throw
    AtomicInteger runs2 = new AtomicInteger();
    Future<Object> broken = cache.getOrCompute(vertx, "fails-future", () -> runs2.incrementAndGet() == 1
        ? Future.failedFuture(new RuntimeException("no data")) : Future.succeededFuture("ok"));
    assertEquals("no data", assertThrowsRuntime(broken).getMessage());
    assertEquals("ok", cache.getOrCompute(vertx, "fails-future", () -> Future.succeededFuture("ok")).await());
  }

  static RuntimeException assertThrowsRuntime(Future<?> f) {
    try {
      f.await();
      throw new AssertionError("expected a failure");
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Test
  void aWaitThatOutlastsMaxWaitFailsWithTimeout() {
    cache.getOrLease("held", new LeaseOptions().setLeaseMs(20_000)).await();
    AtomicInteger runs = new AtomicInteger();
    long t0 = System.nanoTime();
    assertFails(CachexError.TIMEOUT, cache.getOrCompute(vertx, "held",
        new ComputeOptions().setMaxWaitMs(600).setWaitSliceMs(200), slowLoader(vertx, runs, 1)));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(0, runs.get(), "the loader does not run without the lease");
    assertTrue(ms >= 600 && ms < 5000, "bounded: " + ms + " ms");
  }

  @Test
  void aPresentValueNeverRunsTheLoader() {
    cache.set("present", 7).await();
    AtomicInteger runs = new AtomicInteger();
    assertEquals(7L, cache.getOrCompute(vertx, "present", slowLoader(vertx, runs, 1)).await());
    assertEquals(0, runs.get());
  }
}
