package io.cachex.service.sets;

import io.cachex.api.CachexError;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.cachex.api.JsonValues.arrayOf;
import static io.cachex.api.JsonValues.box;
import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Sets through the generated proxy: shapes, encoded membership, versions, TTLs and error codes. */
@Tag("contract")
class SetCommandsTest extends ServiceTest {
  /** The members as a set of their JSON texts (order-free, Integer/Long-agnostic). */
  static Set<String> members(JsonArray array) {
    return array.stream().map(Json::encode).collect(Collectors.toSet());
  }

  static void assertMembers(JsonArray expected, JsonArray actual) {
    assertMembers(expected, actual, "");
  }

  static void assertMembers(JsonArray expected, JsonArray actual, String message) {
    assertEquals(expected.size(), actual.size(), message + " size of " + actual.encode());
    assertEquals(members(expected), members(actual), message + " " + actual.encode());
  }

  /** A failure refused by the request validator (before the service): a plain ReplyException with our code. */
  static void assertInvalid(Future<?> future, String mention) {
    try {
      future.await();
      fail("expected INVALID_ARGUMENT");
    } catch (Exception e) {
      assertEquals(CachexError.INVALID_ARGUMENT, CachexError.of(e), e.getMessage());
      assertTrue(e.getMessage().contains(mention), e.getMessage());
    }
  }

  /** Sends a raw bridge-style message: action header + JSON body. */
  static Object raw(String action, JsonObject body) {
    return fx.vertx.eventBus().request(fx.address, body, new DeliveryOptions().addHeader("action", action)).await().body();
  }

  boolean exists(String key, int version) {
    return fx.redis(Command.EXISTS, fx.stored(key, version)).toLong() == 1;
  }

  @Test
  void saddAndSremCountWhatChanged() {
    assertEquals(2L, cache.sadd("s-add", null, arrayOf("a", "b", "a")).await());
    assertEquals(1L, cache.sadd("s-add", null, arrayOf("b", "c")).await());
    assertEquals(3L, cache.scard("s-add", null).await());
    assertEquals(1L, cache.srem("s-add", null, arrayOf("a", "zz")).await());
    assertMembers(arrayOf("b", "c"), cache.smembers("s-add", null).await());
    // conveniences take one member; a JsonArray is one member, not unboxed
    assertEquals(1L, cache.sadd("s-add", new JsonArray().add("b").add("c")).await());
    assertTrue(cache.sismember("s-add", new JsonArray().add("b").add("c")).await());
    assertEquals(1L, cache.srem("s-add", new JsonArray().add("b").add("c")).await());
    assertEquals(2L, cache.scard("s-add").await());
  }

  @Test
  void missingKeysAreEmptySetsAndEmptyMembersAreNoOps() {
    assertEquals(0L, cache.scard("s-missing", null).await());
    assertEquals(0, cache.smembers("s-missing").await().size());
    assertFalse(cache.sismember("s-missing", null, box("x")).await());
    assertEquals(List.of(false, false), cache.smismember("s-missing", null, arrayOf("x", "y")).await());
    assertEquals(0L, cache.srem("s-missing", null, arrayOf("x")).await());
    assertEquals(0L, cache.sadd("s-missing", null, new JsonArray()).await());
    assertEquals(List.of(), cache.smismember("s-missing", null, new JsonArray()).await());
    assertFalse(exists("s-missing", 1));
  }

  @Test
  void aSetIsDeletedWhenItsLastMemberGoes() {
    cache.sadd("s-empty", null, arrayOf("x", "y")).await();
    assertEquals(2L, cache.srem("s-empty", null, arrayOf("x", "y")).await());
    assertFalse(exists("s-empty", 1));
    cache.sadd("s-empty", null, arrayOf("x")).await();
    assertEquals("x", cache.spop("s-empty").await());
    assertFalse(exists("s-empty", 1));
  }

  @Test
  void membersAreEncodedAndComparedByTheirEncoding() {
    JsonObject obj = new JsonObject().put("a", 1).put("b", new JsonArray().add(1).add("x"));
    assertEquals(5L, cache.sadd("s-enc", null, arrayOf(obj, 1, "1", true, 1.5)).await());
    // the integer 1 and the string "1" are different members; an equal object is the same member
    assertEquals(0L, cache.sadd("s-enc", null, arrayOf(obj.copy(), 1L, "1")).await());
    assertTrue(cache.sismember("s-enc", null, box(new JsonObject().put("a", 1).put("b", new JsonArray().add(1).add("x")))).await());
    assertTrue(cache.sismember("s-enc", null, box("1")).await());
    assertFalse(cache.sismember("s-enc", null, box(2)).await());
    assertFalse(cache.sismember("s-enc", null, box(new JsonObject().put("a", 2))).await());
    assertEquals(List.of(true, false, true, true), cache.smismember("s-enc", null, arrayOf(obj, 2, "1", 1.5)).await());
    // stored as the codec encodes them
    assertEquals(1L, fx.redis(Command.SISMEMBER, fx.stored("s-enc", 1), "{\"a\":1,\"b\":[1,\"x\"]}").toLong());
    assertEquals(1L, fx.redis(Command.SISMEMBER, fx.stored("s-enc", 1), "\"1\"").toLong());
    assertEquals(1L, fx.redis(Command.SISMEMBER, fx.stored("s-enc", 1), "1").toLong());
    // and decoded back to JSON values
    JsonArray all = cache.smembers("s-enc", null).await();
    assertMembers(arrayOf(obj, 1, "1", true, 1.5), all);
    assertTrue(all.stream().anyMatch(m -> m instanceof JsonObject && ((JsonObject) m).getInteger("a") == 1), all.encode());
  }

  @Test
  void spopWithoutCountIsOneMemberWithCountAList() {
    cache.sadd("s-pop", null, arrayOf(1, 2, 3)).await();
    Object one = cache.spop("s-pop", null, null).await();
    assertInstanceOf(Number.class, one);
    assertTrue(Set.of(1L, 2L, 3L).contains(((Number) one).longValue()));
    assertEquals(2L, cache.scard("s-pop").await());
    assertFalse(cache.sismember("s-pop", one).await());
    Object rest = cache.spop("s-pop", 5L, null).await();
    JsonArray restArray = assertInstanceOf(JsonArray.class, rest);
    assertEquals(2, restArray.size());
    assertFalse(exists("s-pop", 1));
    assertNull(cache.spop("s-pop", null, null).await());
    assertEquals(new JsonArray(), cache.spop("s-pop", 2L, null).await());
    cache.sadd("s-pop", null, arrayOf("x")).await();
    assertEquals(new JsonArray(), cache.spop("s-pop", 0L, null).await());
    assertEquals(1L, cache.scard("s-pop").await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.spop("s-pop", -1L, null));
    assertEquals(1L, cache.scard("s-pop").await());
  }

  @Test
  void srandmemberShapesAndNegativeCountRepeats() {
    cache.sadd("s-rand", null, arrayOf("a", "b", "c")).await();
    Object one = cache.srandmember("s-rand", null, null).await();
    assertInstanceOf(String.class, one);
    assertTrue(Set.of("a", "b", "c").contains(one));
    JsonArray two = assertInstanceOf(JsonArray.class, cache.srandmember("s-rand", 2L, null).await());
    assertEquals(2, members(two).size(), "distinct with a positive count");
    assertMembers(arrayOf("a", "b", "c"), (JsonArray) cache.srandmember("s-rand", 10L, null).await());
    JsonArray repeats = (JsonArray) cache.srandmember("s-rand", -7L, null).await();
    assertEquals(7, repeats.size(), "exactly |count| with a negative count");
    assertTrue(Set.of("\"a\"", "\"b\"", "\"c\"").containsAll(members(repeats)));
    assertEquals(3L, cache.scard("s-rand").await(), "srandmember removes nothing");
    assertNull(cache.srandmember("s-rand-missing").await());
    assertEquals(new JsonArray(), cache.srandmember("s-rand-missing", 3L, null).await());
  }

  @Test
  void smoveAcrossVersions() {
    JsonObject m = new JsonObject().put("id", 7);
    cache.sadd("s-src", 1, arrayOf(m, "other")).await();
    assertTrue(cache.smove("s-src", "s-dst", 1, 2, box(m.copy())).await());
    assertTrue(cache.sismember("s-dst", 2, box(m)).await());
    assertFalse(cache.sismember("s-dst", 1, box(m)).await());
    assertFalse(exists("s-dst", 1));
    assertFalse(cache.sismember("s-src", m).await());
    assertFalse(cache.smove("s-src", "s-dst", 1, 2, box(m)).await(), "no longer in the source");
    assertTrue(cache.smove("s-src", "s-dst", null, 2, box("other")).await());
    assertFalse(exists("s-src", 1), "source emptied by the move is deleted");
    assertEquals(2L, cache.scard("s-dst", 2).await());
    assertFalse(cache.smove("s-nothing", "s-dst", "x").await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.smove("s-dst", "", 2, 2, box(m)));
    assertEquals(2L, cache.scard("s-dst", 2).await());
  }

  @Test
  void diffInterUnionAndTheirStores() {
    cache.sadd("s-a", null, arrayOf(1, 2, 3)).await();
    cache.sadd("s-b", null, arrayOf(2, 3, 4)).await();
    cache.sadd("s-c", null, arrayOf(3, 5)).await();
    assertMembers(arrayOf(1), cache.sdiff(List.of("s-a", "s-b"), null).await());
    assertMembers(arrayOf(1, 2), cache.sdiff(List.of("s-a", "s-c", "s-missing-x"), null).await());
    assertMembers(arrayOf(3), cache.sinter(List.of("s-a", "s-b", "s-c"), null).await());
    assertMembers(new JsonArray(), cache.sinter(List.of("s-a", "s-missing-x"), null).await());
    assertMembers(arrayOf(1, 2, 3, 5), cache.sunion(List.of("s-a", "s-c"), null).await());
    // the sources are read at `version`; nothing lives at version 2
    assertMembers(new JsonArray(), cache.sunion(List.of("s-a", "s-c"), 2).await());

    assertEquals(1L, cache.sdiffstore("s-out", List.of("s-a", "s-b"), null, 3).await());
    assertMembers(arrayOf(1), cache.smembers("s-out", 3).await());
    assertFalse(exists("s-out", 1));
    assertEquals(1L, cache.sinterstore("s-out", List.of("s-a", "s-b", "s-c"), null, 3).await());
    assertMembers(arrayOf(3), cache.smembers("s-out", 3).await(), "the destination is replaced");
    assertEquals(5L, cache.sunionstore("s-out", List.of("s-a", "s-b", "s-c"), 1, null).await());
    assertMembers(arrayOf(1, 2, 3, 4, 5), cache.smembers("s-out", 1).await());
    assertEquals(0L, cache.sinterstore("s-out", List.of("s-a", "s-missing-x"), null, 3).await());
    assertFalse(exists("s-out", 3), "an empty result deletes the destination");

    assertFails(CachexError.INVALID_ARGUMENT, cache.sdiff(List.of(), null));
    assertInvalid(cache.sunionstore("s-out", List.of("s-a", ""), null, null), "'keys'");
    assertFails(CachexError.INVALID_ARGUMENT, cache.sinterstore("", List.of("s-a"), null, null));
  }

  @Test
  void versionsIsolateSets() {
    cache.sadd("s-ver", 1, arrayOf("one")).await();
    cache.sadd("s-ver", 2, arrayOf("two", "deux")).await();
    assertMembers(arrayOf("one"), cache.smembers("s-ver", 1).await());
    assertMembers(arrayOf("two", "deux"), cache.smembers("s-ver", 2).await());
    assertFalse(cache.sismember("s-ver", 2, box("one")).await());
    assertEquals(1L, cache.srem("s-ver", 2, arrayOf("two")).await());
    assertEquals(1L, cache.scard("s-ver", 1).await());
  }

  @Test
  void mutationsKeepTheTtl() {
    cache.sadd("s-ttl", null, arrayOf("a", "b", "c", "d")).await();
    fx.redis(Command.PEXPIRE, fx.stored("s-ttl", 1), 100_000);
    cache.sadd("s-ttl", null, arrayOf("e")).await();
    cache.srem("s-ttl", null, arrayOf("a")).await();
    cache.spop("s-ttl", null, null).await();
    cache.smove("s-other", "s-ttl", "x").await();
    cache.sadd("s-other", "y").await();
    cache.smove("s-other", "s-ttl", "y").await();
    long pttl = fx.redis(Command.PTTL, fx.stored("s-ttl", 1)).toLong();
    assertTrue(pttl > 90_000 && pttl <= 100_000, "pttl " + pttl);
  }

  @Test
  void aStringKeyIsWrongType() {
    cache.set("s-string", "text").await();
    assertFails(CachexError.WRONG_TYPE, cache.sadd("s-string", null, arrayOf("x")));
    assertFails(CachexError.WRONG_TYPE, cache.smembers("s-string", null));
    assertFails(CachexError.WRONG_TYPE, cache.sismember("s-string", null, box("x")));
    assertFails(CachexError.WRONG_TYPE, cache.scard("s-string", null));
    assertFails(CachexError.WRONG_TYPE, cache.spop("s-string", 1L, null));
    assertFails(CachexError.WRONG_TYPE, cache.sinter(List.of("s-string"), null));
    assertFails(CachexError.WRONG_TYPE, cache.sscan("s-string", null, null, null, null));
    assertEquals("text", cache.get("s-string").await());
  }

  @Test
  void badInputIsInvalidArgumentNamingTheField() {
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.sismember("s-bad", null, arrayOf("a", "b")))
        .getMessage().contains("member"));
    assertInvalid(cache.sadd("", null, arrayOf("a")), "'key'");
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.sscan("s-bad", "abc", null, null, null))
        .getMessage().contains("cursor"));
    assertFails(CachexError.INVALID_ARGUMENT, cache.sscan("s-bad", "0", null, 0L, null));
  }

  @Test
  void sscanPagesThroughEveryMemberAndMatchesTheEncodedForm() {
    JsonArray all = new JsonArray();
    for (int i = 0; i < 250; i++) {
      all.add(i);
    }
    for (int i = 0; i < 10; i++) {
      all.add("s" + i);
    }
    cache.sadd("s-scan", null, all).await();

    Map<String, Integer> seen = new HashMap<>();
    String cursor = "0";
    int steps = 0;
    do {
      JsonObject page = cache.sscan("s-scan", cursor, null, 50L, null).await();
      cursor = page.getString("cursor");
      page.getJsonArray("members").forEach(m -> seen.merge(Json.encode(m), 1, Integer::sum));
      steps++;
    } while (!"0".equals(cursor) && steps < 1000);
    assertTrue(steps > 1, "a 260-member set takes more than one step with count 50");
    assertEquals(members(all), seen.keySet());

    // match sees the encoded bytes: JSON strings carry their quotes, integers are plain digits
    JsonObject strings = cache.sscan("s-scan", null, "\"s*", 1000L, null).await();
    assertEquals("0", strings.getString("cursor"));
    assertMembers(new JsonArray(List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9")),
        strings.getJsonArray("members"));
    assertEquals(0, cache.sscan("s-scan", null, "s*", 1000L, null).await().getJsonArray("members").size());

    JsonObject missing = cache.sscan("s-scan-missing", null, null, null, null).await();
    assertEquals("0", missing.getString("cursor"));
    assertEquals(new JsonArray(), missing.getJsonArray("members"));
  }

  @Test
  void sscanIterGathersEveryMemberOnce() {
    JsonArray all = new JsonArray();
    for (int i = 0; i < 550; i++) {
      all.add(i % 2 == 0 ? (Object) i : "m" + i);
    }
    cache.sadd("s-iter", null, all).await();
    JsonArray gathered = cache.sscanIter("s-iter").await();
    assertMembers(all, gathered);
    List<String> ones = new ArrayList<>();
    for (int i = 0; i < 550; i += 2) {
      if (String.valueOf(i).startsWith("1")) {
        ones.add(String.valueOf(i));
      }
    }
    assertEquals(new HashSet<>(ones), members(cache.sscanIter("s-iter", "1*", null).await()));
    assertEquals(0, cache.sscanIter("s-iter-missing", null, null).await().size());
  }

  @Test
  void bridgeMessagesUseTheDocumentedJson() {
    assertEquals(2L, ((Number) raw("sadd", new JsonObject().put("key", "s-wire")
        .put("members", new JsonArray().add("a").add(new JsonObject().put("id", 1))))).longValue());
    assertEquals(true, raw("sismember", new JsonObject().put("key", "s-wire").put("member", new JsonArray().add(new JsonObject().put("id", 1)))));
    assertEquals(new JsonArray().add(true).add(false),
        ((JsonArray) raw("smismember", new JsonObject().put("key", "s-wire").put("members", new JsonArray().add("a").add("b")))));
    JsonObject page = (JsonObject) raw("sscan", new JsonObject().put("key", "s-wire").put("cursor", "0").put("match", "\"*"));
    assertEquals("0", page.getString("cursor"));
    assertMembers(arrayOf("a"), page.getJsonArray("members"));
    assertTrue(raw("spop", new JsonObject().put("key", "s-wire").put("count", 5)) instanceof JsonArray);
    assertNull(raw("spop", new JsonObject().put("key", "s-wire")));
    assertEquals(0L, ((Number) raw("sunionstore", new JsonObject().put("dest", "s-wire-out").put("keys", new JsonArray().add("s-wire"))
        .put("destVersion", 2))).longValue());
  }
}
