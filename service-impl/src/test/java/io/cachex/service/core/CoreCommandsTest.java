package io.cachex.service.core;

import io.cachex.api.ExpiryOptions;
import io.cachex.api.SetOptions;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.CallMode;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.cachex.api.JsonValues.box;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Django cache methods, called through the generated proxy over the event bus. */
@Tag("contract")
class CoreCommandsTest extends ServiceTest {
  long pttl(String key) {
    return fx.redis(Command.PTTL, fx.stored(key, 1)).toLong();
  }

  @Test
  void getReturnsNullForMissingKeyAndTheCallersDefault() {
    assertNull(cache.get("missing").await());
    assertEquals("fallback", cache.get("missing", "fallback").await());
  }

  @Test
  void valuesKeepTheirJsonType() {
    Map<String, Object> values = Map.of(
        "int", 42L, "negative", -7L, "string-int", "42", "bool", true, "string-bool", "true",
        "double", 1.5, "string", "héllo ✓", "empty", "",
        "object", new JsonObject().put("a", 1).put("nested", new JsonArray().add("x").add(false)),
        "array", new JsonArray().add(1).add("two").addNull());
    values.forEach((k, v) -> cache.set(k, v).await());
    values.forEach((k, v) -> assertEquals(v, normalise(cache.get(k).await()), k));
    // integers are stored as plain decimal so that other clients and INCR can use them
    assertEquals("42", fx.redis(Command.GET, fx.stored("int", 1)).toString());
    assertEquals("\"42\"", fx.redis(Command.GET, fx.stored("string-int", 1)).toString());
  }

  /** JSON decoding yields Integer for small numbers inside objects; compare by JSON text. */
  private static Object normalise(Object v) {
    return v instanceof JsonObject ? new JsonObject(((JsonObject) v).encode())
        : v instanceof JsonArray ? new JsonArray(((JsonArray) v).encode()) : v;
  }

  @Test
  void storedKeyIsPrefixVersionKey() {
    cache.set("layout", "v").await();
    assertEquals(1L, fx.redis(Command.EXISTS, fx.prefix + ":1:layout").toLong());
  }

  /** The configured default (300 s); inside a pipeline or transaction a write without a timeout gets none. */
  static void assertDefaultTtl(long ttl, String what) {
    if (CallMode.current().noDefaultExpiry()) {
      assertEquals(-1L, ttl, what + " in a batch: no default expiry");
    } else {
      assertTrue(ttl > 299_000 && ttl <= 300_000, what + " ttl " + ttl);
    }
  }

  @Test
  void absentTimeoutUsesTheDefault() {
    cache.set("t-default", 1).await();
    assertDefaultTtl(pttl("t-default"), "t-default");
  }

  @Test
  void nullTimeoutNeverExpires() {
    cache.set("t-never", 1, SetOptions.noExpiry()).await();
    assertEquals(-1L, pttl("t-never"));
  }

  @Test
  void zeroAndNegativeTimeoutsDeleteTheKey() {
    cache.set("t-zero", 1).await();
    cache.set("t-zero", 2, SetOptions.timeout(0)).await();
    assertFalse(cache.hasKey("t-zero").await());
    cache.set("t-neg", 1).await();
    cache.set("t-neg", 2, SetOptions.timeout(-5)).await();
    assertFalse(cache.hasKey("t-neg").await());
  }

  @Test
  void fractionalTimeoutKeepsMilliseconds() {
    cache.set("t-frac", 1, SetOptions.timeout(1.5)).await();
    long ttl = pttl("t-frac");
    assertTrue(ttl > 1_000 && ttl <= 1_500, "ttl " + ttl);
  }

  @Test
  void nxXxAndGet() {
    assertEquals(true, cache.set("nx", "a", SetOptions.nx()).await());
    assertEquals(false, cache.set("nx", "b", SetOptions.nx()).await());
    assertEquals("a", cache.get("nx").await());

    assertEquals(false, cache.set("xx-missing", "a", SetOptions.xx()).await());
    assertFalse(cache.hasKey("xx-missing").await());
    assertEquals(true, cache.set("nx", "c", SetOptions.xx()).await());
    assertEquals("c", cache.get("nx").await());

    assertNull(cache.set("get-new", "first", new SetOptions().setGet(true)).await());
    assertEquals("first", cache.set("get-new", "second", new SetOptions().setGet(true)).await());
    assertEquals("second", cache.get("get-new").await());
    // get with timeout 0 returns the old value and leaves no key
    assertEquals("second", cache.set("get-new", "third", new SetOptions().setGet(true).setTimeout(0)).await());
    assertFalse(cache.hasKey("get-new").await());
    // nx with timeout 0: says whether the key was absent, writes nothing
    assertEquals(true, cache.set("nx-zero", "x", SetOptions.nx().setTimeout(0)).await());
    assertFalse(cache.hasKey("nx-zero").await());
  }

  @Test
  void addOnlyWhenAbsent() {
    assertTrue(cache.add("add", 1).await());
    assertFalse(cache.add("add", 2).await());
    assertEquals(1L, cache.get("add").await());
    // timeout 0: stores-if-absent then deletes; reports whether it was absent
    assertTrue(cache.add("add-zero", 1, ExpiryOptions.timeout(0)).await());
    assertFalse(cache.hasKey("add-zero").await());
    assertFalse(cache.add("add", 3, ExpiryOptions.timeout(0)).await());
    assertEquals(1L, cache.get("add").await(), "add with timeout 0 must not touch an existing key");
  }

  @Test
  void deleteAndHasKey() {
    cache.set("del", 1).await();
    assertTrue(cache.hasKey("del").await());
    assertTrue(cache.delete("del").await());
    assertFalse(cache.delete("del").await());
    assertFalse(cache.hasKey("del").await());
  }

  @Test
  void touchRules() {
    cache.set("touch", 1, SetOptions.noExpiry()).await();
    assertTrue(cache.touch("touch", ExpiryOptions.timeout(10)).await());
    long ttl = pttl("touch");
    assertTrue(ttl > 9_000 && ttl <= 10_000, "ttl " + ttl);
    assertTrue(cache.touch("touch").await()); // default timeout (in a batch: none, so it persists)
    assertDefaultTtl(pttl("touch"), "touch");
    cache.touch("touch", ExpiryOptions.timeout(10)).await();
    assertTrue(cache.touch("touch", ExpiryOptions.noExpiry()).await());
    assertEquals(-1L, pttl("touch"));
    assertFalse(cache.touch("touch", ExpiryOptions.noExpiry()).await(), "already persistent");
    assertFalse(cache.touch("touch-missing", ExpiryOptions.timeout(10)).await());
    assertTrue(cache.touch("touch", ExpiryOptions.timeout(0)).await());
    assertFalse(cache.hasKey("touch").await());
  }

  @Test
  void getManyReturnsFoundKeysOnly() {
    cache.setMany(Map.of("m1", 1, "m2", "two", "m3", new JsonObject().put("x", 3))).await();
    JsonObject found = cache.getMany(List.of("m1", "m2", "m3", "m-missing")).await();
    assertEquals(new JsonObject().put("m1", 1L).put("m2", "two").put("m3", new JsonObject().put("x", 3)).encode(), found.encode());
    assertEquals(new JsonObject(), cache.getMany(List.of()).await());
  }

  @Test
  void setManyWithTimeoutsAndDeleteMany() {
    assertEquals(List.of(), cache.setMany(Map.of("sm1", 1, "sm2", 2), ExpiryOptions.timeout(20)).await());
    long ttl = pttl("sm1");
    assertTrue(ttl > 19_000 && ttl <= 20_000, "ttl " + ttl);
    assertEquals(2L, cache.deleteMany(List.of("sm1", "sm2", "sm-missing")).await());
    assertEquals(0L, cache.deleteMany(List.of()).await());
    cache.set("sm3", 3).await();
    assertEquals(List.of(), cache.setMany(Map.of("sm3", 4), ExpiryOptions.timeout(0)).await());
    assertFalse(cache.hasKey("sm3").await());
  }

  @Test
  void setManyAppliesTheDefaultExpiryOrNone() {
    // without options: the configured default (300 s) on every key; noExpiry: none at all
    Map<String, Object> entries = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      entries.put("smd" + i, i);
    }
    assertEquals(List.of(), cache.setMany(entries).await());
    for (String k : List.of("smd0", "smd49")) {
      assertDefaultTtl(pttl(k), k);
    }
    assertEquals(49L, cache.get("smd49").await());
    assertEquals(List.of(), cache.setMany(Map.of("smn1", "a", "smn2", "b"), ExpiryOptions.noExpiry()).await());
    assertEquals(-1L, pttl("smn1"));
    assertEquals("b", cache.get("smn2").await());
  }

  @Test
  void getOrSetStoresOnlyWhenMissing() {
    assertEquals("first", cache.getOrSet("gos", "first").await());
    assertEquals("first", cache.getOrSet("gos", "second").await());
    assertEquals("first", cache.get("gos").await());
  }

  @Test
  void incrAndDecr() {
    assertEquals(5L, cache.incr("counter", 5).await(), "missing key starts at 0");
    assertEquals(-1L, pttl("counter"), "incr creates no expiry");
    assertEquals(6L, cache.incr("counter").await());
    assertEquals(4L, cache.decr("counter", 2).await());
    assertEquals(3L, cache.decr("counter").await());
    assertEquals(3L, cache.get("counter").await());
    cache.set("counter-ttl", 10, SetOptions.timeout(100)).await();
    cache.incr("counter-ttl").await();
    assertTrue(pttl("counter-ttl") > 90_000, "incr keeps the TTL");
  }

  @Test
  void versionsIsolateKeys() {
    cache.set("v", null, 1, box("one")).await();
    cache.set("v", null, 2, box("two")).await();
    assertEquals("one", cache.get("v", 1, null).await());
    assertEquals("two", cache.get("v", 2, null).await());
    assertTrue(cache.delete("v", 2).await());
    assertEquals("one", cache.get("v", 1, null).await());
  }

  @Test
  void incrVersionMovesTheKeyAndKeepsTtl() {
    cache.set("iv", "payload", SetOptions.timeout(100)).await();
    assertEquals(2, cache.incrVersion("iv").await());
    assertNull(cache.get("iv", 1, null).await());
    assertEquals("payload", cache.get("iv", 2, null).await());
    long ttl = fx.redis(Command.PTTL, fx.stored("iv", 2)).toLong();
    assertTrue(ttl > 90_000, "ttl kept: " + ttl);
    assertEquals(1, cache.decrVersion("iv", 1, 2).await());
    assertEquals("payload", cache.get("iv").await());
  }

  @Test
  void clearTouchesOnlyItsOwnPrefixAndVersion(Vertx vertx) {
    CachexFixture other = CachexFixture.deploy(vertx);
    try {
      other.cache.set("keep", 1).await();
      cache.set("clear-a", 1).await();
      cache.set("clear-b", 1).await();
      cache.set("clear-v2", null, 2, box(1)).await();
      fx.redis(Command.SET, "unrelated:key", "x");
      long deleted = cache.clear().await();
      assertTrue(deleted >= 2, "deleted " + deleted);
      assertFalse(cache.hasKey("clear-a").await());
      assertTrue(cache.hasKey("clear-v2", 2).await(), "other versions stay");
      assertTrue(other.cache.hasKey("keep").await(), "other prefixes stay");
      assertEquals("x", fx.redis(Command.GET, "unrelated:key").toString());
    } finally {
      other.undeploy();
    }
  }

  @Test
  void closeNeitherFailsNorUnregisters() {
    cache.close().await();
    cache.set("after-close", 1).await();
    assertEquals(1L, cache.get("after-close").await());
  }
}
