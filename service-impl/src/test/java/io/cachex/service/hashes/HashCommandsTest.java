package io.cachex.service.hashes;

import io.cachex.api.CachexError;
import io.cachex.api.SetOptions;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/** Hash operations through the generated proxy. */
@Tag("contract")
class HashCommandsTest extends ServiceTest {
  long rawPttl(String key) {
    return fx.redis(Command.PTTL, fx.stored(key, 1)).toLong();
  }

  /** JSON decoding may give Integer or Long for small numbers; compare by JSON text. */
  static String json(Object v) {
    return v instanceof JsonObject ? ((JsonObject) v).encode() : v instanceof JsonArray ? ((JsonArray) v).encode() : String.valueOf(v);
  }

  @Test
  void hsetHgetAndFieldsAdded() {
    assertEquals(1L, cache.hset("h-basic", "name", "ada").await());
    assertEquals(0L, cache.hset("h-basic", "name", "grace").await(), "overwritten, not added");
    assertEquals(1L, cache.hset("h-basic", "age", 36).await());
    assertEquals("grace", cache.hget("h-basic", "name").await());
    assertEquals(36L, cache.hget("h-basic", "age").await());
    assertNull(cache.hget("h-basic", "missing").await());
    assertNull(cache.hget("h-missing", "name").await());
    // field names are raw, not prefixed or encoded
    assertEquals("grace", fx.redis(Command.HGET, fx.stored("h-basic", 1), "name").toString().replace("\"", ""));
    assertEquals("36", fx.redis(Command.HGET, fx.stored("h-basic", 1), "age").toString());
  }

  @Test
  void encodedValuesRoundTrip() {
    JsonObject profile = new JsonObject().put("a", 1).put("tags", new JsonArray().add("x").add(true)).putNull("n");
    cache.hset("h-enc", "profile", profile).await();
    cache.hset("h-enc", "list", new JsonArray().add(1).add("two")).await();
    cache.hset("h-enc", "double", 1.5).await();
    cache.hset("h-enc", "bool", false).await();
    cache.hset("h-enc", "str-int", "42").await();
    cache.hset("h-enc", "null", null).await();
    assertEquals(profile.encode(), json(cache.hget("h-enc", "profile").await()));
    assertEquals("[1,\"two\"]", json(cache.hget("h-enc", "list").await()));
    assertEquals(1.5, cache.hget("h-enc", "double").await());
    assertEquals(false, cache.hget("h-enc", "bool").await());
    assertEquals("42", cache.hget("h-enc", "str-int").await(), "a string stays a string");
    assertNull(cache.hget("h-enc", "null").await());
    assertTrue(cache.hexists("h-enc", "null").await(), "a null value is still a field");
    JsonObject all = cache.hgetall("h-enc").await();
    assertEquals(profile.encode(), json(all.getValue("profile")));
    assertEquals("42", all.getValue("str-int"));
    assertTrue(all.containsKey("null"));
    assertNull(all.getValue("null"));
  }

  @Test
  void integerValuesAreStoredRawSoHincrbyWorks() {
    cache.hset("h-counter", "n", 5).await();
    assertEquals("5", fx.redis(Command.HGET, fx.stored("h-counter", 1), "n").toString());
    assertEquals(7L, cache.hincrby("h-counter", "n", 2).await());
    assertEquals(8L, cache.hincrby("h-counter", "n", null, null).await(), "default amount 1");
    assertEquals(3L, cache.hincrby("h-counter", "n", -5).await());
    assertEquals(3L, cache.hget("h-counter", "n").await());
    assertEquals(10L, cache.hincrby("h-counter", "fresh", 10).await(), "a missing field starts at 0");
    assertEquals(-1L, cache.hincrby("h-counter-new", "x", -1).await(), "a missing key starts empty");
    assertEquals(-1L, rawPttl("h-counter-new"), "no expiry on a hash created by hincrby");
  }

  @Test
  void hincrbyfloat() {
    cache.hset("h-float", "n", 5).await();
    assertEquals(7.5, cache.hincrbyfloat("h-float", "n", 2.5).await());
    assertEquals(8.5, cache.hincrbyfloat("h-float", "n", null, null).await(), "default amount 1.0");
    assertEquals(8.5, cache.hget("h-float", "n").await());
    assertEquals(0.25, cache.hincrbyfloat("h-float", "fresh", 0.25).await());
    cache.hset("h-float", "d", 1.5).await();
    assertEquals(2.0, cache.hincrbyfloat("h-float", "d", 0.5).await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.hincrbyfloat("h-float", "n", Double.NaN, null));
    assertEquals(8.5, cache.hget("h-float", "n").await());
  }

  @Test
  void incrementingANonNumberIsWrongType() {
    cache.hset("h-text", "t", "abc").await();
    cache.hset("h-text", "f", 1.5).await();
    assertFails(CachexError.WRONG_TYPE, cache.hincrby("h-text", "t", 1));
    assertFails(CachexError.WRONG_TYPE, cache.hincrby("h-text", "f", 1));
    assertFails(CachexError.WRONG_TYPE, cache.hincrbyfloat("h-text", "t", 1));
    assertEquals("abc", cache.hget("h-text", "t").await());
  }

  @Test
  void hgetallHkeysHvalsHlen() {
    cache.hmset("h-all", Map.of("a", 1, "b", "two", "c", new JsonObject().put("x", 3))).await();
    JsonObject all = cache.hgetall("h-all").await();
    assertEquals(Set.of("a", "b", "c"), all.fieldNames());
    // inside a JSON reply a number is a JSON number: Long on the local bus, Integer after a cluster hop
    assertEquals(1L, all.getLong("a"));
    assertEquals("two", all.getValue("b"));
    assertEquals("{\"x\":3}", json(all.getValue("c")));
    List<String> fields = cache.hkeys("h-all").await();
    JsonArray values = cache.hvals("h-all").await();
    assertEquals(Set.of("a", "b", "c"), new TreeSet<>(fields));
    assertEquals(3, values.size());
    for (int i = 0; i < fields.size(); i++) {
      assertEquals(json(all.getValue(fields.get(i))), json(values.getValue(i)), "hvals in hkeys order");
    }
    assertEquals(3L, cache.hlen("h-all").await());
  }

  @Test
  void missingKeyShapes() {
    assertEquals(new JsonObject(), cache.hgetall("h-none").await());
    assertEquals(List.of(), cache.hkeys("h-none").await());
    assertEquals(new JsonArray(), cache.hvals("h-none").await());
    assertEquals(0L, cache.hlen("h-none").await());
    assertFalse(cache.hexists("h-none", "f").await());
    assertEquals(0L, cache.hdel("h-none", "f").await());
    assertEquals(new JsonArray().addNull().addNull(), cache.hmget("h-none", "a", "b").await());
    assertFalse(cache.hasKey("h-none").await(), "reads create nothing");
  }

  @Test
  void hmgetKeepsTheRequestedOrderWithNulls() {
    cache.hmset("h-mget", new JsonObject().put("a", 1).put("b", "bee"), null).await();
    assertEquals(new JsonArray().add("bee").addNull().add(1L).add("bee"),
        cache.hmget("h-mget", List.of("b", "zz", "a", "b"), null).await());
    assertEquals(new JsonArray(), cache.hmget("h-mget", List.of(), null).await());
  }

  @Test
  void hmsetWritesEveryFieldAndEmptyMappingWritesNothing() {
    Map<String, Object> mapping = new LinkedHashMap<>();
    mapping.put("a", 1);
    mapping.put("b", List.of("x", "y"));
    cache.hmset("h-mset", mapping).await();
    cache.hmset("h-mset", Map.of("a", 2, "c", true)).await();
    assertEquals(2L, cache.hget("h-mset", "a").await());
    assertEquals("[\"x\",\"y\"]", json(cache.hget("h-mset", "b").await()));
    assertEquals(true, cache.hget("h-mset", "c").await());
    cache.hmset("h-mset-empty", new JsonObject(), null).await();
    assertFalse(cache.hasKey("h-mset-empty").await());
    assertRejected(cache.hmset("h-mset", null, null));
  }

  @Test
  void hsetnxOnlyWhenTheFieldIsAbsent() {
    assertTrue(cache.hsetnx("h-nx", "f", "first").await());
    assertFalse(cache.hsetnx("h-nx", "f", "second").await());
    assertEquals("first", cache.hget("h-nx", "f").await());
    assertTrue(cache.hsetnx("h-nx", "g", new JsonObject().put("k", "v")).await());
    assertEquals("{\"k\":\"v\"}", json(cache.hget("h-nx", "g").await()));
  }

  @Test
  void hexistsAndHdel() {
    cache.hmset("h-del", Map.of("a", 1, "b", 2, "c", 3)).await();
    assertTrue(cache.hexists("h-del", "a").await());
    assertEquals(2L, cache.hdel("h-del", "a", "b", "missing").await());
    assertFalse(cache.hexists("h-del", "a").await());
    assertEquals(0L, cache.hdel("h-del", List.of(), null).await());
    assertEquals(1L, cache.hlen("h-del").await());
  }

  @Test
  void hashDeletedWhenItsLastFieldIsDeleted() {
    cache.hset("h-empty", "only", 1).await();
    assertTrue(cache.hasKey("h-empty").await());
    assertEquals(1L, cache.hdel("h-empty", "only").await());
    assertFalse(cache.hasKey("h-empty").await());
    assertNull(cache.type("h-empty").await());
    assertEquals(new JsonObject(), cache.hgetall("h-empty").await());
  }

  @Test
  void mutationsKeepTheTtl() {
    cache.hset("h-ttl", "a", 1).await();
    assertTrue(cache.expire("h-ttl", 100).await());
    cache.hset("h-ttl", "b", 2).await();
    assertTrue(rawPttl("h-ttl") > 99_000, "hset keeps the ttl");
    cache.hmset("h-ttl", Map.of("c", 3)).await();
    cache.hsetnx("h-ttl", "d", 4).await();
    cache.hincrby("h-ttl", "a", 1).await();
    cache.hincrbyfloat("h-ttl", "a", 0.5).await();
    cache.hdel("h-ttl", "b").await();
    long ttl = rawPttl("h-ttl");
    assertTrue(ttl > 99_000 && ttl <= 100_000, "every mutation keeps the ttl, now " + ttl);
  }

  @Test
  void versionsIsolateHashes() {
    cache.hset("h-ver", "f", null, box("v1")).await();
    cache.hset("h-ver", "f", 2, box("v2")).await();
    cache.hset("h-ver", "only2", 2, box(1)).await();
    assertEquals("v1", cache.hget("h-ver", "f").await());
    assertEquals("v2", cache.hget("h-ver", "f", 2).await());
    assertEquals(1L, cache.hlen("h-ver", null).await());
    assertEquals(2L, cache.hlen("h-ver", 2).await());
    assertFalse(cache.hexists("h-ver", "only2", null).await());
    assertTrue(cache.hexists("h-ver", "only2", 2).await());
    assertEquals(Set.of("f", "only2"), new TreeSet<>(cache.hkeys("h-ver", 2).await()));
    assertEquals(1L, cache.hdel("h-ver", List.of("f"), 2).await());
    assertEquals("v1", cache.hget("h-ver", "f").await(), "version 1 untouched");
    assertFalse(cache.hsetnx("h-ver", "f", null, box("x")).await());
    assertTrue(cache.hsetnx("h-ver", "f", 2, box("x")).await());
    assertEquals(5L, cache.hincrby("h-ver", "n", 5L, 3).await());
    assertEquals(5.5, cache.hincrbyfloat("h-ver", "n", 0.5, 3).await());
    assertEquals(new JsonArray().add("x").add(1L), cache.hmget("h-ver", List.of("f", "only2"), 2).await());
    assertEquals(1, cache.hvals("h-ver", 3).await().size());
    assertEquals(Set.of("n"), cache.hgetall("h-ver", 3).await().fieldNames());
    cache.hmset("h-ver", new JsonObject().put("m", 1), 4).await();
    assertEquals(List.of("m"), cache.hkeys("h-ver", 4).await());
  }

  @Test
  void everyHashCommandOnAStringIsWrongType() {
    cache.set("h-string", "plain", SetOptions.noExpiry()).await();
    assertFails(CachexError.WRONG_TYPE, cache.hset("h-string", "f", 1));
    assertFails(CachexError.WRONG_TYPE, cache.hdel("h-string", "f"));
    assertFails(CachexError.WRONG_TYPE, cache.hexists("h-string", "f"));
    assertFails(CachexError.WRONG_TYPE, cache.hget("h-string", "f"));
    assertFails(CachexError.WRONG_TYPE, cache.hgetall("h-string"));
    assertFails(CachexError.WRONG_TYPE, cache.hkeys("h-string"));
    assertFails(CachexError.WRONG_TYPE, cache.hincrby("h-string", "f", 1));
    assertFails(CachexError.WRONG_TYPE, cache.hincrbyfloat("h-string", "f", 1));
    assertFails(CachexError.WRONG_TYPE, cache.hlen("h-string"));
    assertFails(CachexError.WRONG_TYPE, cache.hmget("h-string", "f"));
    assertFails(CachexError.WRONG_TYPE, cache.hmset("h-string", Map.of("f", 1)));
    assertFails(CachexError.WRONG_TYPE, cache.hsetnx("h-string", "f", 1));
    assertFails(CachexError.WRONG_TYPE, cache.hvals("h-string"));
    assertEquals("plain", cache.get("h-string").await(), "the string is untouched");
    String message = assertFails(CachexError.WRONG_TYPE, cache.hget("h-string", "f")).getMessage();
    assertTrue(message.contains("hget(h-string)"), message);
  }

  @Test
  void badArgumentsFailBeforeAnythingIsWritten() {
    assertRejected(cache.hset("h-bad", null, null, box(1)));
    assertFails(CachexError.INVALID_ARGUMENT, cache.hset("h-bad", "f", null, new JsonArray()));
    assertRejected(cache.hset("", "f", null, box(1)));
    assertRejected(cache.hsetnx("h-bad", "f", null, null));
    // (the generated proxy cannot send a null list; a bridge client can)
    assertRejected(raw("hdel", new JsonObject().put("key", "h-bad")));
    assertRejected(raw("hmget", new JsonObject().put("key", "h-bad").put("fields", new JsonArray().add(1))));
    assertRejected(raw("hmset", new JsonObject().put("key", "h-bad").put("mapping", new JsonArray())));
    assertFalse(cache.hasKey("h-bad").await());
  }

  /** A JSON message as a bridge client sends it. */
  static Future<Object> raw(String action, JsonObject body) {
    return fx.vertx.eventBus().request(fx.address, body, new DeliveryOptions().addHeader("action", action)).map(m -> m.body());
  }

  @Test
  void jsonMessagesAsBridgeClientsSendThem() {
    assertEquals(1L, ((Number) raw("hset", new JsonObject().put("key", "h-json").put("field", "name")
        .put("value", new JsonArray().add(new JsonObject().put("first", "Ada")))).await()).longValue());
    assertNull(raw("hmset", new JsonObject().put("key", "h-json")
        .put("mapping", new JsonObject().put("visits", 3).put("admin", true))).await(), "hmset replies with no body");
    assertEquals(new JsonArray().add(new JsonObject().put("first", "Ada")).add(3).addNull(),
        raw("hmget", new JsonObject().put("key", "h-json").put("fields", new JsonArray().add("name").add("visits").add("nope"))).await());
    assertEquals(5L, ((Number) raw("hincrby", new JsonObject().put("key", "h-json").put("field", "visits").put("amount", 2)).await()).longValue());
    assertEquals(new JsonObject().put("name", new JsonObject().put("first", "Ada")).put("visits", 5).put("admin", true),
        raw("hgetall", new JsonObject().put("key", "h-json")).await());
    assertEquals(1L, ((Number) raw("hdel", new JsonObject().put("key", "h-json").put("fields", new JsonArray().add("admin"))).await()).longValue());
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
