package io.cachex.service.admin;

import io.cachex.api.CachexError;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.api.SemaphoreLease;
import io.cachex.api.SemaphoreOptions;
import io.cachex.api.SetOptions;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.cachex.api.JsonValues.box;
import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin actions (key browser, inspect, compare-and-set, server info) through the generated proxy. */
@Tag("contract")
class AdminCommandsTest extends ServiceTest {

  /** Every page of browseKeys from cursor "0" to "0". */
  static List<JsonObject> browseAll(String pattern, String type, int count) {
    List<JsonObject> found = new ArrayList<>();
    String cursor = "0";
    do {
      JsonObject page = cache.browseKeys(cursor, pattern, type, count, null).await();
      page.getJsonArray("keys").forEach(k -> found.add((JsonObject) k));
      cursor = page.getString("cursor");
    } while (!"0".equals(cursor));
    return found;
  }

  @Test
  void browseKeysReportsTypeTtlAndSizeAndFiltersByType() {
    cache.set("adm:b:str", "hello", SetOptions.timeout(100)).await();
    cache.hset("adm:b:hash", "f", 1).await();
    cache.rpush("adm:b:list", 1).await();
    cache.rpush("adm:b:list", 2).await();
    cache.sadd("adm:b:set", "m").await();
    cache.zadd("adm:b:zset", java.util.Map.of("m", 1.5)).await();
    cache.set("adm:b:other", 1, SetOptions.noExpiry()).await();
    cache.set("elsewhere", 1).await();

    List<JsonObject> all = browseAll("adm:b:*", null, 2);
    Set<String> keys = new HashSet<>();
    all.forEach(k -> keys.add(k.getString("key")));
    assertEquals(Set.of("adm:b:str", "adm:b:hash", "adm:b:list", "adm:b:set", "adm:b:zset", "adm:b:other"), keys);
    JsonObject str = all.stream().filter(k -> k.getString("key").equals("adm:b:str")).findFirst().orElseThrow();
    assertEquals("string", str.getString("type"));
    assertTrue(str.getLong("ttl") > 90_000 && str.getLong("ttl") <= 100_000, str.encode());
    assertEquals(7L, str.getLong("size")); // "hello" stored as JSON text with its quotes
    JsonObject list = all.stream().filter(k -> k.getString("key").equals("adm:b:list")).findFirst().orElseThrow();
    assertEquals("list", list.getString("type"));
    assertEquals(2L, list.getLong("size"));
    JsonObject other = all.stream().filter(k -> k.getString("key").equals("adm:b:other")).findFirst().orElseThrow();
    assertNull(other.getValue("ttl"));

    List<JsonObject> hashes = browseAll("adm:b:*", "hash", 100);
    assertEquals(1, hashes.size());
    assertEquals("adm:b:hash", hashes.get(0).getString("key"));
    assertEquals(1L, hashes.get(0).getLong("size"));

    assertFails(CachexError.INVALID_ARGUMENT, cache.browseKeys("0", "*", "bogus", null, null));
    assertFails(CachexError.INVALID_ARGUMENT, cache.browseKeys("0", "*", null, 0, null));
    assertFails(CachexError.INVALID_ARGUMENT, cache.browseKeys("x", "*", null, null, null));
  }

  @Test
  void inspectKeyDecodesStringsAndDescribesOtherTypes() {
    cache.set("adm:i:doc", new JsonObject().put("name", "Ada"), SetOptions.timeout(60)).await();
    JsonObject doc = cache.inspectKey("adm:i:doc").await();
    assertEquals("string", doc.getString("type"));
    assertEquals(new JsonObject().put("name", "Ada"), doc.getValue("value"));
    assertTrue(doc.getString("fingerprint").matches("[0-9a-f]{40}"));
    assertTrue(doc.getLong("ttl") > 50_000);

    cache.hset("adm:i:hash", "a", 1).await();
    JsonObject hash = cache.inspectKey("adm:i:hash").await();
    assertEquals("hash", hash.getString("type"));
    assertEquals(1L, hash.getLong("size"));
    assertNull(hash.getValue("ttl"));
    assertTrue(hash.getString("fingerprint").matches("[0-9a-f]{40}"));
    assertFalse(hash.containsKey("value"));

    assertNull(cache.inspectKey("adm:i:missing").await());

    // bytes no codec reads: described, never a failure
    fx.redis(Command.SET, fx.stored("adm:i:raw", 1), new byte[] {(byte) 0xff, 0x00, (byte) 97});
    JsonObject raw = cache.inspectKey("adm:i:raw").await();
    assertTrue(raw.getString("undecodable").contains("cannot be decoded"), raw.encode());
    assertEquals("\\xff\\x00a", raw.getString("preview"));
    assertFalse(raw.containsKey("value"));
  }

  @Test
  void replaceIfUnchangedKeepsTheTtlAndRefusesAChangedValue() {
    cache.set("adm:r:k", "first", SetOptions.timeout(100)).await();
    String seen = cache.inspectKey("adm:r:k").await().getString("fingerprint");

    assertTrue(cache.replaceIfUnchanged("adm:r:k", seen, new JsonObject().put("v", 2)).await());
    assertEquals(new JsonObject().put("v", 2), cache.get("adm:r:k").await());
    long ttl = cache.pttl("adm:r:k").await();
    assertTrue(ttl > 90_000 && ttl <= 100_000, "TTL kept: " + ttl);

    // the fingerprint seen before the first replace no longer matches: nothing is written
    assertFalse(cache.replaceIfUnchanged("adm:r:k", seen, null, null, box("lost")).await());
    assertEquals(new JsonObject().put("v", 2), cache.get("adm:r:k").await());

    // another client changes the value between inspect and replace
    String now = cache.inspectKey("adm:r:k").await().getString("fingerprint");
    cache.set("adm:r:k", "theirs").await();
    assertFalse(cache.replaceIfUnchanged("adm:r:k", now, "mine").await());
    assertEquals("theirs", cache.get("adm:r:k").await());

    // a missing key or another type is a conflict too
    assertFalse(cache.replaceIfUnchanged("adm:r:missing", now, "x").await());
    assertNull(cache.get("adm:r:missing").await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.replaceIfUnchanged("adm:r:k", "not-hex", "x"));
  }

  @Test
  void replaceIfUnchangedReplacesWholeCollectionsKeepingTheTtl() {
    cache.hset("adm:c:hash", "a", 1).await();
    cache.hset("adm:c:hash", "b", new JsonObject().put("x", true)).await();
    cache.expire("adm:c:hash", 100.0).await();
    String hashSeen = cache.inspectKey("adm:c:hash").await().getString("fingerprint");
    assertEquals(hashSeen, cache.inspectKey("adm:c:hash").await().getString("fingerprint"), "stable while unchanged");
    JsonObject fields = new JsonObject().put("a", 2).put("c", "new");
    assertTrue(cache.replaceIfUnchanged("adm:c:hash", hashSeen, "hash", null, box(fields)).await());
    assertEquals(fields, cache.hgetall("adm:c:hash").await());
    long ttl = cache.pttl("adm:c:hash").await();
    assertTrue(ttl > 90_000 && ttl <= 100_000, "TTL kept: " + ttl);
    // the old fingerprint no longer fits; a change by another client is never overwritten
    assertFalse(cache.replaceIfUnchanged("adm:c:hash", hashSeen, "hash", null, box(new JsonObject())).await());
    String now = cache.inspectKey("adm:c:hash").await().getString("fingerprint");
    cache.hset("adm:c:hash", "d", 4).await();
    assertFalse(cache.replaceIfUnchanged("adm:c:hash", now, "hash", null, box(new JsonObject().put("z", 0))).await());
    assertEquals(4, cache.hgetall("adm:c:hash").await().getInteger("d"));
    // the type must be the one the page showed
    String hashNow = cache.inspectKey("adm:c:hash").await().getString("fingerprint");
    assertFalse(cache.replaceIfUnchanged("adm:c:hash", hashNow, "list", null, box(new JsonArray())).await());

    cache.rpush("adm:c:list", 1).await();
    cache.rpush("adm:c:list", 2).await();
    String list = cache.inspectKey("adm:c:list").await().getString("fingerprint");
    assertTrue(cache.replaceIfUnchanged("adm:c:list", list, "list", null, box(new JsonArray().add(3).add("four"))).await());
    assertEquals(new JsonArray().add(3).add("four"), cache.lrange("adm:c:list", 0, -1).await());

    cache.sadd("adm:c:set", "m1").await();
    cache.sadd("adm:c:set", "m2").await();
    String set = cache.inspectKey("adm:c:set").await().getString("fingerprint");
    assertTrue(cache.replaceIfUnchanged("adm:c:set", set, "set", null, box(new JsonArray().add("m2").add("m3"))).await());
    assertEquals(Set.of("m2", "m3"), new HashSet<>(cache.smembers("adm:c:set").await().getList()));

    cache.zadd("adm:c:zset", java.util.Map.of("a", 1.0)).await();
    String zset = cache.inspectKey("adm:c:zset").await().getString("fingerprint");
    assertTrue(cache.replaceIfUnchanged("adm:c:zset", zset, "zset", null,
        box(new JsonArray().add(new JsonArray().add("b").add(2.5)).add(new JsonArray().add("c").add(1)))).await());
    assertEquals(new JsonArray().add(new JsonArray().add("c").add(1.0)).add(new JsonArray().add("b").add(2.5)),
        cache.zrange("adm:c:zset", 0L, -1L, true, null).await());

    // forty zeros: the fingerprint of a key that does not exist, so the key is created only if absent
    String absent = "0".repeat(40);
    assertTrue(cache.replaceIfUnchanged("adm:c:new", absent, "hash", null, box(new JsonObject().put("f", 1))).await());
    assertEquals(new JsonObject().put("f", 1), cache.hgetall("adm:c:new").await());
    assertNull(cache.pttl("adm:c:new").await(), "created without a TTL");
    assertFalse(cache.replaceIfUnchanged("adm:c:new", absent, "hash", null, box(new JsonObject().put("g", 2))).await());
    assertEquals(new JsonObject().put("f", 1), cache.hgetall("adm:c:new").await(), "an existing key is never replaced");
    assertTrue(cache.replaceIfUnchanged("adm:c:newstr", absent, null, null, box("s")).await());
    assertEquals("s", cache.get("adm:c:newstr").await());
    assertFalse(cache.replaceIfUnchanged("adm:c:newstr", absent, null, null, box("t")).await());

    // an empty collection leaves no key
    String emptied = cache.inspectKey("adm:c:set").await().getString("fingerprint");
    assertTrue(cache.replaceIfUnchanged("adm:c:set", emptied, "set", null, box(new JsonArray())).await());
    assertNull(cache.type("adm:c:set").await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.replaceIfUnchanged("adm:c:list", list, "list", null, box(new JsonObject())));
    assertFails(CachexError.INVALID_ARGUMENT, cache.replaceIfUnchanged("adm:c:list", list, "stream", null, box(new JsonArray())));
  }

  @Test
  void serverInfoHasSectionsAndTheSlowlog() {
    JsonObject report = cache.serverInfo(5).await();
    JsonObject server = report.getJsonObject("info").getJsonObject("server");
    assertNotNull(server, report.encode());
    assertTrue(server.containsKey("redis_version") || server.containsKey("valkey_version"), server.encode());
    assertNotNull(report.getJsonObject("info").getJsonObject("keyspace"));
    JsonArray slowlog = report.getJsonArray("slowlog");
    assertTrue(slowlog.size() <= 5);
    assertFails(CachexError.INVALID_ARGUMENT, cache.serverInfo(1000));
  }

  /** Every lease of a kind, all pages, by name. */
  static java.util.Map<String, JsonObject> held(String kind) {
    java.util.Map<String, JsonObject> found = new java.util.TreeMap<>();
    String cursor = "0";
    do {
      JsonObject page = cache.heldLeases(kind, cursor, 5, null).await();
      page.getJsonArray("leases").forEach(l -> found.put(((JsonObject) l).getString("name"), (JsonObject) l));
      cursor = page.getString("cursor");
    } while (!"0".equals(cursor));
    return found;
  }

  @Test
  void heldLeasesListLocksAndSemaphoresWithoutTheirTokens() {
    LockLease lock = cache.acquireLock("adm:h:report", new LockOptions().setTimeout(60)).await();
    LockLease other = cache.acquireLock("adm:h:{tagged}", new LockOptions().setTimeout(30)).await();
    LockLease released = cache.acquireLock("adm:h:done", new LockOptions().setTimeout(30)).await();
    cache.releaseLock(released).await();
    SemaphoreLease a = cache.acquireSemaphore("adm:h:pdf", 4, SemaphoreOptions.withLease(60).setWeight(3)).await();
    SemaphoreLease b = cache.acquireSemaphore("adm:h:pdf", 4, SemaphoreOptions.withLease(20)).await();
    try {
      java.util.Map<String, JsonObject> locks = held("lock");
      assertTrue(locks.containsKey("adm:h:report") && locks.containsKey("adm:h:{tagged}"), locks.toString());
      assertFalse(locks.containsKey("adm:h:done"), "a released lock is not held");
      JsonObject report = locks.get("adm:h:report");
      assertEquals(lock.getFencingToken(), report.getLong("fencingToken"));
      assertTrue(report.getLong("ttl") > 50_000 && report.getLong("ttl") <= 60_000, report.encode());
      assertEquals(other.getFencingToken(), locks.get("adm:h:{tagged}").getLong("fencingToken"));
      assertFalse(report.encode().contains(lock.getToken()), "never the owner's token");

      JsonObject pdf = held("semaphore").get("adm:h:pdf");
      assertNotNull(pdf);
      assertEquals(4L, pdf.getLong("units"));
      assertEquals(2, pdf.getJsonArray("claims").size());
      assertFalse(pdf.encode().contains(a.getToken()) || pdf.encode().contains(b.getToken()), "never the owners' tokens");

      // another version sees none of them
      assertEquals(0, cache.heldLeases("lock", "0", 1000, 7).await().getJsonArray("leases").stream()
          .filter(l -> ((JsonObject) l).getString("name").startsWith("adm:h:")).count());
      assertFails(CachexError.INVALID_ARGUMENT, cache.heldLeases("mutex", null, null, null));
    } finally {
      cache.releaseLock(lock).await();
      cache.releaseLock(other).await();
      cache.releaseSemaphore(a).await();
      cache.releaseSemaphore(b).await();
    }
    assertFalse(held("lock").containsKey("adm:h:report"));
    assertFalse(held("semaphore").containsKey("adm:h:pdf"));
  }
}
