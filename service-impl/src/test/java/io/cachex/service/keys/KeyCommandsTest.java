package io.cachex.service.keys;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.SetOptions;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.cachex.api.JsonValues.box;
import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Expiry and key operations through the generated proxy. */
@Tag("contract")
class KeyCommandsTest extends ServiceTest {
  long rawPttl(String key, int version) {
    return fx.redis(Command.PTTL, fx.stored(key, version)).toLong();
  }

  static void assertBetween(long low, long high, Long actual) {
    assertTrue(actual != null && actual >= low && actual <= high, "expected in [" + low + ", " + high + "]: " + actual);
  }

  static Set<String> sorted(List<String> keys) {
    return new TreeSet<>(keys);
  }

  // ---- ttl / pttl ----

  @Test
  void ttlAndPttlNullWithoutExpiryAndMinusTwoWhenMissing() {
    cache.set("ttl-100", "v", SetOptions.timeout(100)).await();
    assertBetween(99, 100, cache.ttl("ttl-100").await());
    assertBetween(99_000, 100_000, cache.pttl("ttl-100").await());
    cache.set("ttl-never", "v", SetOptions.noExpiry()).await();
    assertNull(cache.ttl("ttl-never").await());
    assertNull(cache.pttl("ttl-never").await());
    assertEquals(-2L, cache.ttl("ttl-missing").await());
    assertEquals(-2L, cache.pttl("ttl-missing").await());
    // the version selects the key
    cache.set("ttl-v", SetOptions.timeout(50), 3, box("v")).await();
    assertEquals(-2L, cache.ttl("ttl-v", null).await());
    assertBetween(49, 50, cache.ttl("ttl-v", 3).await());
  }

  // ---- expire / pexpire ----

  @Test
  void expireSetsSecondsWithMillisecondPrecision() {
    cache.set("exp", "v", SetOptions.noExpiry()).await();
    assertTrue(cache.expire("exp", 20).await());
    assertBetween(19_000, 20_000, rawPttl("exp", 1));
    assertTrue(cache.expire("exp", 1.5).await());
    assertBetween(1_000, 1_500, rawPttl("exp", 1));
    assertFalse(cache.expire("exp-missing", 20).await());
    assertFalse(cache.hasKey("exp-missing").await());
  }

  @Test
  void expireZeroOrNegativeDeletesAnExistingKey() {
    cache.set("exp-zero", "v").await();
    assertTrue(cache.expire("exp-zero", 0).await(), "the key existed");
    assertFalse(cache.hasKey("exp-zero").await());
    cache.set("exp-neg", "v").await();
    assertTrue(cache.expire("exp-neg", -3).await());
    assertFalse(cache.hasKey("exp-neg").await());
    assertFalse(cache.expire("exp-neg", 0).await(), "already gone");
  }

  @Test
  void pexpireInMilliseconds() {
    cache.set("pexp", "v", SetOptions.noExpiry()).await();
    assertTrue(cache.pexpire("pexp", 2_500).await());
    assertBetween(2_000, 2_500, rawPttl("pexp", 1));
    assertFalse(cache.pexpire("pexp-missing", 2_500).await());
    assertTrue(cache.pexpire("pexp", 0).await());
    assertFalse(cache.hasKey("pexp").await());
    cache.set("pexp-v2", SetOptions.noExpiry(), 2, box("v")).await();
    assertFalse(cache.pexpire("pexp-v2", 5_000L, null).await(), "version 1 has no such key");
    assertTrue(cache.pexpire("pexp-v2", 5_000L, 2).await());
    assertBetween(4_000, 5_000, rawPttl("pexp-v2", 2));
  }

  @Test
  void expireWithoutTimeoutIsInvalid() {
    cache.set("exp-null", "v").await();
    assertRejected(cache.expire("exp-null", null, null));
    assertFails(CachexError.INVALID_ARGUMENT, cache.expire("exp-null", Double.NaN, null));
    assertRejected(cache.pexpire("exp-null", null, null));
    assertTrue(cache.hasKey("exp-null").await());
  }

  // ---- expireAt / pexpireAt ----

  @Test
  void expireAtTakesUnixSeconds() {
    cache.set("at", "v", SetOptions.noExpiry()).await();
    double now = System.currentTimeMillis() / 1000.0;
    assertTrue(cache.expireAt("at", now + 100.5).await());
    assertBetween(99_000, 100_500, rawPttl("at", 1));
    assertFalse(cache.expireAt("at-missing", now + 100).await());
  }

  @Test
  void expireAtInThePastDeletes() {
    cache.set("at-past", "v").await();
    assertTrue(cache.expireAt("at-past", System.currentTimeMillis() / 1000.0 - 10).await(), "it existed");
    assertFalse(cache.hasKey("at-past").await());
    cache.set("at-zero", "v").await();
    assertTrue(cache.expireAt("at-zero", 0).await());
    assertFalse(cache.hasKey("at-zero").await());
    assertFalse(cache.expireAt("at-zero", System.currentTimeMillis() / 1000.0 - 10).await(), "missing");
  }

  @Test
  void pexpireAtTakesUnixMilliseconds() {
    cache.set("pat", "v", SetOptions.noExpiry()).await();
    assertTrue(cache.pexpireAt("pat", System.currentTimeMillis() + 30_000).await());
    assertBetween(29_000, 30_000, rawPttl("pat", 1));
    assertFalse(cache.pexpireAt("pat-missing", System.currentTimeMillis() + 30_000).await());
    assertTrue(cache.pexpireAt("pat", System.currentTimeMillis() - 1_000).await());
    assertFalse(cache.hasKey("pat").await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.expireAt("pat", Double.POSITIVE_INFINITY, null));
  }

  // ---- persist ----

  @Test
  void persistRemovesTheExpiry() {
    cache.set("pers", "v", SetOptions.timeout(100)).await();
    assertTrue(cache.persist("pers").await());
    assertNull(cache.ttl("pers").await());
    assertFalse(cache.persist("pers").await(), "already persistent");
    assertFalse(cache.persist("pers-missing").await());
  }

  // ---- type ----

  @Test
  void typeOfEveryRedisType() {
    cache.set("ty-string", "v").await();
    cache.set("ty-int", 5).await();
    cache.hset("ty-hash", "f", 1).await();
    fx.redis(Command.RPUSH, fx.stored("ty-list", 1), "a");
    fx.redis(Command.SADD, fx.stored("ty-set", 1), "a");
    fx.redis(Command.ZADD, fx.stored("ty-zset", 1), "1", "a");
    fx.redis(Command.XADD, fx.stored("ty-stream", 1), "*", "f", "v");
    assertEquals("string", cache.type("ty-string").await());
    assertEquals("string", cache.type("ty-int").await());
    assertEquals("hash", cache.type("ty-hash").await());
    assertEquals("list", cache.type("ty-list").await());
    assertEquals("set", cache.type("ty-set").await());
    assertEquals("zset", cache.type("ty-zset").await());
    assertEquals("stream", cache.type("ty-stream").await());
    assertNull(cache.type("ty-missing").await());
    assertNull(cache.type("ty-string", 2).await(), "other version");
  }

  // ---- keys / iterKeys ----

  @Test
  void keysReturnCallerKeysOfThisPrefixAndVersionOnly() {
    CachexFixture own = CachexFixture.deploy(vertx);
    CachexFixture other = CachexFixture.deploy(vertx);
    try {
      own.cache.set("a1", 1).await();
      own.cache.set("a2", 2).await();
      own.cache.set("b1", 3).await();
      own.cache.set("a3", SetOptions.timeout(100), 2, box(4)).await();
      other.cache.set("a1", 1).await();
      other.cache.set("a9", 1).await();

      assertEquals(Set.of("a1", "a2"), sorted(own.cache.keys("a*").await()));
      assertEquals(Set.of("a1", "a2", "b1"), sorted(own.cache.keys("*").await()));
      assertEquals(List.of("a3"), own.cache.keys("*", 2).await());
      assertEquals(List.of(), own.cache.keys("zz*").await());
      assertEquals(Set.of("a1", "a2"), sorted(own.cache.iterKeys("a*").await()));
      assertEquals(Set.of("a1", "a2", "b1"), sorted(own.cache.iterKeys("*").await()));
      assertEquals(List.of("a3"), own.cache.iterKeys("*", 2).await());
      // glob syntax of the caller's pattern is not escaped
      assertEquals(Set.of("a1", "b1"), sorted(own.cache.keys("[ab]1").await()));
      assertEquals(Set.of("a1", "a2"), sorted(own.cache.iterKeys("a?").await()));
      assertEquals(Set.of("a1", "a9"), sorted(other.cache.keys("a*").await()));
    } finally {
      own.cache.clear().await();
      other.cache.clear().await();
      own.undeploy();
      other.undeploy();
    }
  }

  @Test
  void keysAndIterKeysGatherEveryKeyAcrossManyScanBatches() {
    CachexFixture own = CachexFixture.deploy(vertx);
    try {
      JsonObject entries = new JsonObject();
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < 2_500; i++) {
        entries.put("many:" + i, i);
        expected.add("many:" + i);
      }
      own.cache.setMany(entries, null, null).await();
      own.cache.set("other", 1).await();
      List<String> keys = own.cache.keys("many:*").await();
      List<String> iterated = own.cache.iterKeys("many:*").await();
      assertEquals(2_500, keys.size());
      assertEquals(expected, new HashSet<>(keys));
      assertEquals(2_500, iterated.size());
      assertEquals(expected, new HashSet<>(iterated));
    } finally {
      own.cache.clear().await();
      own.undeploy();
    }
  }

  @Test
  void globCharactersOfThePrefixAreEscaped() {
    CachexFixture weird = CachexFixture.deploy(vertx, new JsonObject().put("keyPrefix", "we*ird[1]"));
    // these prefixes match the unescaped glob "we*ird[1]:1:*"
    CachexFixture decoy = CachexFixture.deploy(vertx, new JsonObject().put("keyPrefix", "weXird1"));
    CachexFixture decoy2 = CachexFixture.deploy(vertx, new JsonObject().put("keyPrefix", "weird1"));
    try {
      weird.cache.set("mine", 1).await();
      decoy.cache.set("theirs", 1).await();
      decoy2.cache.set("theirs2", 1).await();
      assertEquals(1L, weird.redis(Command.EXISTS, "we*ird[1]:1:mine").toLong());

      assertEquals(List.of("mine"), weird.cache.keys("*").await());
      assertEquals(List.of("mine"), weird.cache.iterKeys("*").await());
      assertEquals(new JsonArray().add("mine"), gatherScan(weird.cache, "*", 10, null));
      assertEquals(1L, weird.cache.deletePattern("*").await());
      assertTrue(decoy.cache.hasKey("theirs").await(), "another prefix's key survives deletePattern");
      assertTrue(decoy2.cache.hasKey("theirs2").await());
      assertFalse(weird.cache.hasKey("mine").await());
    } finally {
      weird.cache.clear().await();
      decoy.cache.clear().await();
      decoy2.cache.clear().await();
      weird.undeploy();
      decoy.undeploy();
      decoy2.undeploy();
    }
  }

  // ---- scan ----

  static JsonArray gatherScan(CachexService service, String pattern, Integer count, Integer version) {
    JsonArray all = new JsonArray();
    String cursor = "0";
    do {
      JsonObject page = service.scan(cursor, pattern, count, version).await();
      cursor = page.getString("cursor");
      all.addAll(page.getJsonArray("keys"));
    } while (!"0".equals(cursor));
    return all;
  }

  @Test
  void scanPagesThroughEveryKeyExactlyOnce() {
    CachexFixture own = CachexFixture.deploy(vertx);
    CachexFixture other = CachexFixture.deploy(vertx);
    try {
      Set<String> expected = new HashSet<>();
      JsonObject entries = new JsonObject();
      for (int i = 0; i < 50; i++) {
        entries.put("page:" + i, i);
        expected.add("page:" + i);
      }
      own.cache.setMany(entries, null, null).await();
      other.cache.setMany(entries, null, null).await();

      List<String> seen = new ArrayList<>();
      int pages = 0;
      String cursor = "0";
      do {
        JsonObject page = own.cache.scan(cursor, "page:*", 10, null).await();
        assertEquals(Set.of("cursor", "keys"), page.fieldNames());
        cursor = page.getString("cursor");
        page.getJsonArray("keys").forEach(k -> seen.add((String) k));
        pages++;
      } while (!"0".equals(cursor));
      assertTrue(pages > 1, "count 10 over 50 keys takes several pages, took " + pages);
      assertEquals(50, seen.size(), "each key exactly once: " + seen);
      assertEquals(expected, new HashSet<>(seen));

      // defaults: cursor "0", pattern "*"
      JsonArray all = gatherScan(own.cache, null, null, null);
      assertEquals(50, all.size());
      assertEquals(0, gatherScan(own.cache, "*", 100, 2).size(), "another version");
    } finally {
      own.cache.clear().await();
      other.cache.clear().await();
      own.undeploy();
      other.undeploy();
    }
  }

  @Test
  void scanRejectsBadCursorsAndCounts() {
    assertFails(CachexError.INVALID_ARGUMENT, cache.scan("abc", "*", 10, null));
    assertFails(CachexError.INVALID_ARGUMENT, cache.scan("-1", "*", 10, null));
    assertFails(CachexError.INVALID_ARGUMENT, cache.scan("0", "*", 0, null));
    assertFails(CachexError.INVALID_ARGUMENT, cache.keys("", null));
    assertRejected(cache.iterKeys(null, null));
    assertRejected(cache.deletePattern(null, null));
  }

  // ---- deletePattern ----

  @Test
  void deletePatternDeletesMatchingCallerKeysOnly() {
    CachexFixture own = CachexFixture.deploy(vertx);
    CachexFixture other = CachexFixture.deploy(vertx);
    try {
      JsonObject entries = new JsonObject();
      for (int i = 0; i < 1_234; i++) {
        entries.put("del:" + i, i);
      }
      own.cache.setMany(entries, null, null).await();
      own.cache.set("keep", 1).await();
      own.cache.set("del:v2", SetOptions.timeout(100), 2, box(1)).await();
      other.cache.set("del:1", 1).await();

      assertEquals(1_234L, own.cache.deletePattern("del:*").await());
      assertEquals(List.of(), own.cache.keys("del:*").await());
      assertTrue(own.cache.hasKey("keep").await());
      assertTrue(own.cache.hasKey("del:v2", 2).await(), "another version is untouched");
      assertTrue(other.cache.hasKey("del:1").await(), "another prefix is untouched");
      assertEquals(0L, own.cache.deletePattern("del:*").await());
      assertEquals(1L, own.cache.deletePattern("del:*", 2).await());
    } finally {
      own.cache.clear().await();
      other.cache.clear().await();
      own.undeploy();
      other.undeploy();
    }
  }

  // ---- rename / renamenx ----

  @Test
  void renameOntoAnotherVersionKeepsValueAndTtl() {
    cache.set("ren-src", new JsonObject().put("a", 1), SetOptions.timeout(100)).await();
    cache.rename("ren-src", "ren-dst", null, 2).await();
    assertFalse(cache.hasKey("ren-src").await());
    assertFalse(cache.hasKey("ren-dst").await(), "moved to version 2, not 1");
    assertEquals("{\"a\":1}", ((JsonObject) cache.get("ren-dst", 2, null).await()).encode());
    assertBetween(99, 100, cache.ttl("ren-dst", 2).await());
    // dstVersion defaults to the source's version
    cache.rename("ren-dst", "ren-again", 2, null).await();
    assertEquals("{\"a\":1}", ((JsonObject) cache.get("ren-again", 2, null).await()).encode());
  }

  @Test
  void renameReplacesTheDestination() {
    cache.set("ren-a", "a").await();
    cache.set("ren-b", "b").await();
    cache.rename("ren-a", "ren-b").await();
    assertEquals("a", cache.get("ren-b").await());
    assertFalse(cache.hasKey("ren-a").await());
  }

  @Test
  void renameOfAMissingSourceIsNotFound() {
    assertFails(CachexError.NOT_FOUND, cache.rename("ren-missing", "ren-x"));
    assertFails(CachexError.NOT_FOUND, cache.renamenx("ren-missing", "ren-x"));
    assertFalse(cache.hasKey("ren-x").await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.rename("ren-missing", "", null, null));
  }

  @Test
  void renamenxOnlyWhenTheDestinationIsAbsent() {
    cache.set("rnx-src", "s").await();
    cache.set("rnx-dst", "d").await();
    assertFalse(cache.renamenx("rnx-src", "rnx-dst").await());
    assertEquals("s", cache.get("rnx-src").await());
    assertEquals("d", cache.get("rnx-dst").await());
    assertTrue(cache.renamenx("rnx-src", "rnx-new", null, 4).await());
    assertEquals("s", cache.get("rnx-new", 4, null).await());
    assertFalse(cache.hasKey("rnx-src").await());
  }

  /** A JSON message as a bridge client sends it. */
  static Future<Object> raw(String action, JsonObject body) {
    return fx.vertx.eventBus().request(fx.address, body, new DeliveryOptions().addHeader("action", action)).map(m -> m.body());
  }

  @Test
  void jsonMessagesAsBridgeClientsSendThem() {
    cache.set("json:1", 1, SetOptions.timeout(60)).await();
    assertBetween(59, 60, ((Number) raw("ttl", new JsonObject().put("key", "json:1")).await()).longValue());
    assertEquals(true, raw("expireAt", new JsonObject().put("key", "json:1").put("when", System.currentTimeMillis() / 1000 + 90)).await());
    assertBetween(89, 90, cache.ttl("json:1").await());
    assertEquals(true, raw("pexpire", new JsonObject().put("key", "json:1").put("timeout", 30_000)).await());
    assertEquals(new JsonArray().add("json:1"), raw("keys", new JsonObject().put("pattern", "json:*")).await());
    JsonObject page = (JsonObject) raw("scan", new JsonObject().put("cursor", "0").put("pattern", "json:*").put("count", 1000)).await();
    assertEquals(Set.of("cursor", "keys"), page.fieldNames());
    raw("rename", new JsonObject().put("src", "json:1").put("dst", "json:2").put("dstVersion", 2)).await();
    assertEquals("string", raw("type", new JsonObject().put("key", "json:2").put("version", 2)).await());
    assertEquals(1L, ((Number) raw("deletePattern", new JsonObject().put("pattern", "json:*").put("version", 2)).await()).longValue());
    assertRejected(raw("rename", new JsonObject().put("src", "json:1")));
    assertRejected(raw("scan", new JsonObject().put("cursor", 0)));
  }

  /**
   * Missing required fields are refused by the request validator in front of the service: the
   * caller then gets a plain ReplyException carrying the code, not a ServiceException.
   */
  static void assertRejected(Future<?> future) {
    try {
      Object v = future.await();
      fail("expected INVALID_ARGUMENT but the call succeeded with " + v);
    } catch (Exception e) {
      ReplyException re = assertInstanceOf(ReplyException.class, e);
      assertEquals(CachexError.INVALID_ARGUMENT, CachexError.of(re), re.getMessage());
    }
  }
}
