package io.cachex.service.stampede;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.ExpiryOptions;
import io.cachex.api.Pipeline;
import io.cachex.api.SetOptions;
import io.cachex.api.Stampede;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.CallMode;
import io.cachex.service.support.TestTopologies;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cachex.api.JsonValues.box;
import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Probabilistic early expiry (XFetch) with django-cachex's rules, on a service configured with a
 * policy ({@link #on}) and one without ({@link #off}): writes store timeout + buffer, reads near the
 * logical expiry report misses with probability exp(-remaining / (delta * beta)), ttl is physical,
 * hasKey and pipelines ignore it, per-call choices, strict input.
 */
@Tag("contract")
@ExtendWith(VertxExtension.class)
class StampedeTest {
  static final long BUFFER_MS = 60_000;
  static CachexFixture on;
  static CachexFixture off;
  /** Calls as themselves, whatever the execution's call mode (reads in a batch ignore early expiry by design). */
  static CachexService single;

  @BeforeAll
  static void deploy(Vertx vertx) {
    on = CachexFixture.deploy(vertx, new JsonObject().put("stampede", new JsonObject().put("buffer", 60).put("beta", 1).put("delta", 1)));
    off = CachexFixture.deploy(vertx);
    single = CachexService.createProxyWithOptions(on.vertx, on.address, new DeliveryOptions().setSendTimeout(10_000));
  }

  @AfterAll
  static void undeploy() {
    on.undeploy();
    off.undeploy();
  }

  static long pttl(CachexFixture fx, String key) {
    return fx.redis(Command.PTTL, fx.stored(key, 1)).toLong();
  }

  /** Leaves {@code remainingMs} of logical time: the buffer plus that much physical time. */
  static void leave(CachexFixture fx, String key, long remainingMs, long bufferMs) {
    assertEquals(1L, fx.redis(Command.PEXPIRE, fx.stored(key, 1), bufferMs + remainingMs).toLong());
  }

  @Test
  void writesWithAPositiveTimeoutStoreTheBufferToo() {
    CachexService c = on.cache;
    c.set("w-set", "v", SetOptions.timeout(300)).await();
    c.add("w-add", "v", ExpiryOptions.timeout(300)).await();
    c.getOrSet("w-gos", "v", ExpiryOptions.timeout(300)).await();
    c.setMany(Map.of("w-many", "v"), ExpiryOptions.timeout(300)).await();
    c.set("w-touch", "v", SetOptions.timeout(10)).await();
    assertTrue(c.touch("w-touch", ExpiryOptions.timeout(300)).await());
    for (String k : List.of("w-set", "w-add", "w-gos", "w-many", "w-touch")) {
      long pttl = pttl(on, k);
      assertTrue(pttl > 300_000 && pttl <= 360_000, k + " stored for timeout + buffer: " + pttl);
      // ttl shows the physical time left, buffer included
      long ttl = c.ttl(k).await();
      assertTrue(ttl > 300 && ttl <= 360, k + " ttl " + ttl);
    }
    // the configured default timeout (300 s) is a positive timeout too, outside a batch
    c.set("w-default", "v").await();
    long pttl = pttl(on, "w-default");
    assertTrue(CallMode.current().noDefaultExpiry() ? pttl == -1 : pttl > 300_000 && pttl <= 360_000, "default: " + pttl);
    // no expiry stays none, "expire now" still deletes
    c.set("w-never", "v", SetOptions.noExpiry()).await();
    assertEquals(-1L, pttl(on, "w-never"));
    assertNull(c.ttl("w-never").await());
    c.set("w-now", "v", SetOptions.timeout(0)).await();
    assertFalse(c.hasKey("w-now").await());
    // touch(null) persists
    assertTrue(c.touch("w-set", ExpiryOptions.noExpiry()).await());
    assertEquals(-1L, pttl(on, "w-set"));
  }

  @Test
  void perCallChoiceOnOffOrAPolicy() {
    // off for one call on a service with a policy
    on.cache.set("c-off", "v", SetOptions.timeout(300), Stampede.off()).await();
    assertTrue(pttl(on, "c-off") <= 300_000);
    assertTrue(on.cache.touch("c-off", ExpiryOptions.timeout(200), null, Stampede.off()).await());
    assertTrue(pttl(on, "c-off") <= 200_000);
    // on for one call on a service without: the defaults (60 s)
    off.cache.set("c-on", "v", SetOptions.timeout(300), Stampede.on()).await();
    assertTrue(pttl(off, "c-on") > 300_000 && pttl(off, "c-on") <= 360_000);
    off.cache.set("c-plain", "v", SetOptions.timeout(300)).await();
    assertTrue(pttl(off, "c-plain") <= 300_000, "the service without a policy adds nothing");
    // a policy of its own replaces the service's wholesale
    on.cache.set("c-policy", "v", SetOptions.timeout(300), new Stampede().setBuffer(120)).await();
    assertTrue(pttl(on, "c-policy") > 400_000 && pttl(on, "c-policy") <= 420_000);
    off.cache.add("c-frac", "v", ExpiryOptions.timeout(1.5), new Stampede().setBuffer(0.25)).await();
    assertTrue(pttl(off, "c-frac") > 1_500 && pttl(off, "c-frac") <= 1_750, "fractions keep ms: " + pttl(off, "c-frac"));
  }

  @Test
  void aValueWithLessThanTheBufferLeftIsAMissForReadsAlone() {
    on.cache.set("r-str", "val", SetOptions.timeout(300)).await();
    on.cache.set("r-int", 42, SetOptions.timeout(300)).await();
    assertEquals("val", single.get("r-str").await());
    leave(on, "r-str", -10_000, BUFFER_MS);
    leave(on, "r-int", -10_000, BUFFER_MS);
    assertNull(single.get("r-str").await(), "logically expired");
    assertNull(single.get("r-int").await(), "integers are values like any other (GET returns bytes in the reference too)");
    assertEquals("dflt", single.get("r-str", "dflt").await(), "a miss answers the caller's default");
    assertEquals(new JsonObject(), single.getMany(List.of("r-str", "r-int")).await());
    // the key is still there: ttl is physical, hasKey ignores stampede protection
    long ttl = single.ttl("r-str").await();
    assertTrue(ttl > 0 && ttl <= 50, "physical ttl " + ttl);
    assertTrue(single.hasKey("r-str").await());
    // off for one read serves it
    assertEquals("val", single.get("r-str", null, Stampede.off(), null).await());
    assertEquals(new JsonObject().put("r-str", "val").put("r-int", 42L), single.getMany(List.of("r-str", "r-int"), null, Stampede.off()).await());
    // a pipeline serves values as they are (the reference's stale serving)
    Pipeline p = single.pipeline();
    Future<Object> piped = p.ops().get("r-str");
    Future<JsonObject> pipedMany = p.ops().getMany(List.of("r-int"));
    p.execute().await();
    assertEquals("val", piped.await());
    assertEquals(new JsonObject().put("r-int", 42L), pipedMany.await());
    // a value without expiry is never early
    on.cache.set("r-never", "v", SetOptions.noExpiry()).await();
    assertEquals("v", single.get("r-never").await());
  }

  @Test
  void getOrSetRecomputesAnEarlyValueAndStoresItWithTheBuffer() {
    on.cache.set("g-stale", "stale", SetOptions.timeout(300)).await();
    leave(on, "g-stale", -10_000, BUFFER_MS);
    assertEquals("fresh", single.getOrSet("g-stale", "fresh", ExpiryOptions.timeout(300)).await(), "overwrites the early value");
    assertEquals("fresh", single.get("g-stale").await());
    assertTrue(pttl(on, "g-stale") > 300_000);
    // a fresh value wins as before; off for the call keeps the stale one
    assertEquals("fresh", single.getOrSet("g-stale", "other", ExpiryOptions.timeout(300)).await());
    leave(on, "g-stale", -10_000, BUFFER_MS);
    assertEquals("fresh", single.getOrSet("g-stale", "other", ExpiryOptions.timeout(300), Stampede.off()).await());
  }

  /** Share of misses among {@code n} concurrent reads of a key with {@code remainingMs} of logical time left. */
  static double missShare(String key, Stampede policy, long remainingMs, int n) {
    long buffer = Math.round(policy.buffer() * 1000);
    on.cache.set(key, "v", SetOptions.timeout(3600), policy).await();
    leave(on, key, remainingMs, buffer);
    List<Future<Object>> reads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reads.add(single.get(key, null, policy, null));
    }
    Future.all(reads).await();
    long misses = reads.stream().filter(f -> f.result() == null).count();
    return misses / (double) n;
  }

  static void assertShare(double expected, double measured, int n, String what) {
    double tolerance = Math.max(0.02, 5 * Math.sqrt(expected * (1 - expected) / n));
    assertTrue(Math.abs(measured - expected) <= tolerance,
        what + ": measured " + measured + ", expected " + expected + " ± " + tolerance);
  }

  @Test
  void theShareOfEarlyMissesFollowsExpMinusRemainingOverDeltaBeta() {
    // delta * beta = 1000 s, so the few seconds the reads take hardly move the expected share
    Stampede policy = Stampede.policy(60, 1, 1000);
    int n = 1000;
    StringBuilder figures = new StringBuilder();
    double[][] points = {{0, 1}, {Math.log(2), 0.5}, {1, Math.exp(-1)}, {2, Math.exp(-2)}, {20, 0}};
    for (double[] point : points) {
      double share = missShare("dist-" + point[0], policy, Math.round(point[0] * 1_000_000), n);
      figures.append(String.format(" remaining/(delta*beta)=%.3f expected=%.3f measured=%.3f;", point[0], point[1], share));
      assertShare(point[1], share, n, "remaining/(delta*beta) " + point[0]);
    }
    // beta scales it: beta 2 at remaining = 1000 s is exp(-0.5)
    double share = missShare("dist-beta", Stampede.policy(60, 2, 1000), 1_000_000, n);
    figures.append(String.format(" beta=2 remaining/delta=1 expected=%.3f measured=%.3f;", Math.exp(-0.5), share));
    assertShare(Math.exp(-0.5), share, n, "beta 2");
    // delta 0: early only once the logical time is over
    assertShare(0, missShare("dist-delta0", Stampede.policy(60, 1, 0), 1_000, n), n, "delta 0, 1 s left");
    assertShare(1, missShare("dist-delta0-over", Stampede.policy(60, 1, 0), -1_000, n), n, "delta 0, over");
    System.out.println("stampede distribution figures (" + n + " reads per point):" + figures);
  }

  @Test
  void getManyDecidesPerKey() {
    Stampede policy = Stampede.policy(60, 1, 1000);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add("many-" + i);
      on.cache.set("many-" + i, i, SetOptions.timeout(3600), policy).await();
      leave(on, "many-" + i, Math.round(Math.log(2) * 1_000_000), BUFFER_MS);
    }
    // 30 days left against delta*beta = 1000 s: early with probability exp(-2592), never in practice
    on.cache.set("many-fresh", "f", SetOptions.timeout(30 * 86_400), policy).await();
    keys.add("many-fresh");
    keys.add("many-missing");
    JsonObject found = single.getMany(keys, null, policy).await();
    assertEquals("f", found.getValue("many-fresh"));
    int early = 200 - (found.size() - 1);
    System.out.println("stampede getMany figures: 200 keys at remaining/(delta*beta)=ln 2, early misses=" + early);
    assertShare(0.5, early / 200.0, 200, "getMany");
    found.forEach(e -> {
      if (e.getKey().startsWith("many-") && !e.getKey().equals("many-fresh")) {
        assertEquals(Long.parseLong(e.getKey().substring(5)), ((Number) e.getValue()).longValue());
      }
    });
  }

  @Test
  void badChoicesAreInvalidArgumentNamingTheField() {
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, on.request("get", new JsonObject().put("key", "k")
        .put("stampede", new JsonObject().put("bufer", 10)))).getMessage().contains("stampede.bufer"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, on.cache.set("k", "v", SetOptions.timeout(1), new Stampede().setBuffer(-1)))
        .getMessage().contains("stampede.buffer"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, on.cache.get("k", null, new Stampede().setBeta(Double.NaN), null))
        .getMessage().contains("stampede.beta"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, on.cache.add("k", "v", ExpiryOptions.timeout(1), Stampede.off().setDelta(2)))
        .getMessage().contains("stampede"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, on.request("getMany", new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add("k"))
        .put("stampede", true))).getMessage().contains("stampede"));
    assertFalse(on.cache.hasKey("k").await(), "nothing written");
  }

  @Test
  void aBadServicePolicyFailsTheDeploymentNamingIt(Vertx vertx) {
    for (Object bad : List.<Object>of(new JsonObject().put("bufer", 1), new JsonObject().put("beta", -1), "yes")) {
      JsonObject config = new JsonObject().put("address", "cachex.bad").put("redis", TestTopologies.redisConfig()).put("stampede", bad);
      Exception e = assertThrows(Exception.class,
          () -> vertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await());
      assertTrue(e.getMessage().contains("stampede"), e.getMessage());
    }
  }
}
