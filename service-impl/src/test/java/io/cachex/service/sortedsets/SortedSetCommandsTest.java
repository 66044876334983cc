package io.cachex.service.sortedsets;

import io.cachex.api.CachexError;
import io.cachex.api.ZaddOptions;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.cachex.api.JsonValues.arrayOf;
import static io.cachex.api.JsonValues.box;
import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sorted sets through the generated proxy: zadd flags, ranges and bounds, shapes, versions, TTLs, errors. */
@Tag("contract")
class SortedSetCommandsTest extends ServiceTest {
  static JsonArray pair(Object member, double score) {
    return new JsonArray().add(member).add(score);
  }

  static JsonArray pairs(Object... memberScore) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < memberScore.length; i += 2) {
      out.add(pair(memberScore[i], ((Number) memberScore[i + 1]).doubleValue()));
    }
    return out;
  }

  /** Compares by JSON text: order matters, Integer/Long do not. */
  static void assertJson(JsonArray expected, JsonArray actual) {
    assertEquals(expected.encode(), actual.encode());
  }

  boolean exists(String key, int version) {
    return fx.redis(Command.EXISTS, fx.stored(key, version)).toLong() == 1;
  }

  /** a=1, b=2, c=3, d=4, e=5 */
  void abcde(String key) {
    assertEquals(5L, cache.zadd(key, null, null, pairs("a", 1, "b", 2, "c", 3, "d", 4, "e", 5)).await());
  }

  @Test
  void zrangeShapesAndNegativeIndices() {
    abcde("z-range");
    assertEquals(5L, cache.zcard("z-range", null).await());
    assertJson(arrayOf("a", "b", "c", "d", "e"), cache.zrange("z-range", 0L, -1L, null, null).await());
    assertJson(pairs("a", 1, "b", 2), cache.zrange("z-range", 0L, 1L, true, null).await());
    assertJson(arrayOf("a", "b"), cache.zrange("z-range", 0L, 1L, false, null).await());
    assertJson(arrayOf("d", "e"), cache.zrange("z-range", -2L, -1L, null, null).await());
    assertJson(arrayOf("e", "d"), cache.zrevrange("z-range", 0L, 1L, null, null).await());
    assertJson(pairs("b", 2, "a", 1), cache.zrevrange("z-range", -2L, -1L, true, null).await());
    assertJson(new JsonArray(), cache.zrange("z-range", 10L, 20L, null, null).await());
    assertJson(arrayOf("a", "b", "c", "d", "e"), cache.zrange("z-range", -100L, 100L, null, null).await());
    assertJson(new JsonArray(), cache.zrange("z-missing", 0L, -1L, true, null).await());
    assertEquals(0L, cache.zcard("z-missing").await());
    assertJson(arrayOf("a", "b", "c"), cache.zrange("z-range", 0, 2).await());
  }

  @Test
  void zaddNxDoesNotUpdateXxDoesNotAdd() {
    cache.zadd("z-opt", null, null, pairs("a", 1, "b", 2)).await();
    assertEquals(1L, cache.zadd("z-opt", new ZaddOptions().setNx(true), null, pairs("a", 10, "c", 3)).await());
    assertEquals(1.0, cache.zscore("z-opt", "a").await(), "nx never updates");
    assertEquals(3.0, cache.zscore("z-opt", "c").await());
    assertEquals(0L, cache.zadd("z-opt", new ZaddOptions().setXx(true), null, pairs("a", 5, "x", 1)).await());
    assertEquals(5.0, cache.zscore("z-opt", "a").await(), "xx updates");
    assertNull(cache.zscore("z-opt", "x").await(), "xx never adds");
    // plain zadd counts added members only; ch counts added + changed
    assertEquals(0L, cache.zadd("z-opt", null, null, pairs("a", 6)).await());
    assertEquals(2L, cache.zadd("z-opt", new ZaddOptions().setCh(true), null, pairs("a", 7, "b", 2, "f", 1)).await());
    assertEquals(1L, cache.zadd("z-opt", new ZaddOptions().setXx(true).setCh(true), null, pairs("a", 8, "b", 2, "y", 1)).await());
  }

  @Test
  void zaddGtAndLt() {
    cache.zadd("z-gtlt", null, null, pairs("a", 5)).await();
    assertEquals(0L, cache.zadd("z-gtlt", new ZaddOptions().setGt(true).setCh(true), null, pairs("a", 3)).await());
    assertEquals(5.0, cache.zscore("z-gtlt", "a").await(), "gt does not lower");
    assertEquals(1L, cache.zadd("z-gtlt", new ZaddOptions().setGt(true).setCh(true), null, pairs("a", 9)).await());
    assertEquals(9.0, cache.zscore("z-gtlt", "a").await());
    assertEquals(0L, cache.zadd("z-gtlt", new ZaddOptions().setLt(true), null, pairs("a", 12)).await());
    assertEquals(9.0, cache.zscore("z-gtlt", "a").await(), "lt does not raise");
    assertEquals(1L, cache.zadd("z-gtlt", new ZaddOptions().setLt(true).setCh(true), null, pairs("a", 2)).await());
    assertEquals(2.0, cache.zscore("z-gtlt", "a").await());
    assertEquals(1L, cache.zadd("z-gtlt", new ZaddOptions().setGt(true), null, pairs("new", 1)).await(), "gt still adds");
    assertEquals(0L, cache.zadd("z-gtlt", new ZaddOptions().setXx(true).setGt(true), null, pairs("other", 1)).await());
    assertEquals(2L, cache.zcard("z-gtlt").await());
  }

  @Test
  void invalidZaddWritesNothing() {
    cache.zadd("z-inv", null, null, pairs("a", 1)).await();
    assertFails(CachexError.INVALID_ARGUMENT, cache.zadd("z-inv", new ZaddOptions().setNx(true).setXx(true), null, pairs("b", 1)));
    assertFails(CachexError.INVALID_ARGUMENT, cache.zadd("z-inv", new ZaddOptions().setGt(true).setLt(true), null, pairs("b", 1)));
    assertFails(CachexError.INVALID_ARGUMENT, cache.zadd("z-inv", new ZaddOptions().setNx(true).setGt(true), null, pairs("b", 1)));
    assertFails(CachexError.INVALID_ARGUMENT, cache.zadd("z-inv", new ZaddOptions().setNx(true).setLt(true), null, pairs("b", 1)));
    // one bad pair fails the whole call before anything is written
    JsonArray bad = pairs("b", 1).add(new JsonArray().add("c"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.zadd("z-inv", null, null, bad)).getMessage().contains("entries"));
    assertFails(CachexError.INVALID_ARGUMENT, cache.zadd("z-inv", null, null, new JsonArray().add(new JsonArray().add("c").add("high"))));
    assertFails(CachexError.INVALID_ARGUMENT, cache.zadd("z-inv", null, null, arrayOf("c", 1)));
    assertFails(CachexError.INVALID_ARGUMENT, cache.zadd("z-inv", new ZaddOptions(new JsonObject().put("nx", "yes")), null, pairs("b", 1)));
    assertJson(pairs("a", 1), cache.zrange("z-inv", 0L, -1L, true, null).await());
    assertEquals(0L, cache.zadd("z-inv", null, null, new JsonArray()).await());
  }

  @Test
  void scoreRangesWithInfiniteAndExclusiveBounds() {
    abcde("z-score");
    cache.zadd("z-score", null, null, pairs("ab", 1.5)).await();
    assertJson(arrayOf("a", "ab", "b", "c", "d", "e"), cache.zrangebyscore("z-score", "-inf", "+inf", null, null, null, null).await());
    assertJson(arrayOf("b", "c"), cache.zrangebyscore("z-score", "(1.5", "3", null, null, null, null).await());
    assertJson(pairs("ab", 1.5, "b", 2), cache.zrangebyscore("z-score", "1.5", "(3", true, null, null, null).await());
    assertJson(arrayOf("e"), cache.zrevrangebyscore("z-score", "+inf", "(4", null, null, null, null).await());
    assertJson(pairs("c", 3, "b", 2, "ab", 1.5), cache.zrevrangebyscore("z-score", "3", "1.5", true, null, null, null).await());
    assertJson(new JsonArray(), cache.zrangebyscore("z-score", "(5", "+inf", null, null, null, null).await());
    assertJson(new JsonArray(), cache.zrangebyscore("z-missing", "-inf", "+inf", true, null, null, null).await());
    assertEquals(5L, cache.zcount("z-score", "(1", "+inf", null).await());
    assertEquals(2L, cache.zcount("z-score", "-inf", "(2", null).await());
    assertEquals(6L, cache.zcount("z-score", "-inf", "inf", null).await());
    assertEquals(0L, cache.zcount("z-missing", "-inf", "+inf", null).await());
  }

  @Test
  void scoreRangesPageWithOffsetAndCount() {
    abcde("z-page");
    assertJson(arrayOf("b", "c"), cache.zrangebyscore("z-page", "-inf", "+inf", null, 1L, 2L, null).await());
    assertJson(arrayOf("d", "e"), cache.zrangebyscore("z-page", "-inf", "+inf", null, 3L, null, null).await());
    assertJson(arrayOf("a", "b"), cache.zrangebyscore("z-page", "-inf", "+inf", null, null, 2L, null).await());
    assertJson(pairs("e", 5, "d", 4), cache.zrevrangebyscore("z-page", "5", "1", true, 0L, 2L, null).await());
    assertJson(arrayOf("c", "b"), cache.zrevrangebyscore("z-page", "+inf", "-inf", null, 2L, 2L, null).await());
    assertJson(new JsonArray(), cache.zrangebyscore("z-page", "-inf", "+inf", null, 10L, 2L, null).await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.zrangebyscore("z-page", "-inf", "+inf", null, -1L, 2L, null));
  }

  @Test
  void badBoundsAreInvalidArgumentNamingTheBound() {
    abcde("z-bounds");
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.zrangebyscore("z-bounds", "abc", "+inf", null, null, null, null))
        .getMessage().contains("'min'"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.zrevrangebyscore("z-bounds", "1.5x", "0", null, null, null, null))
        .getMessage().contains("'max'"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.zcount("z-bounds", "0", "[3", null)).getMessage().contains("'max'"));
    assertTrue(assertFails(CachexError.INVALID_ARGUMENT, cache.zremrangebyscore("z-bounds", "", "3", null)).getMessage().contains("'min'"));
    assertEquals(5L, cache.zcard("z-bounds").await(), "nothing removed");
  }

  @Test
  void ranksScoresAndIncrements() {
    abcde("z-rank");
    assertEquals(0L, cache.zrank("z-rank", null, box("a")).await());
    assertEquals(4L, cache.zrank("z-rank", "e").await());
    assertEquals(0L, cache.zrevrank("z-rank", null, box("e")).await());
    assertEquals(3L, cache.zrevrank("z-rank", null, box("b")).await());
    assertNull(cache.zrank("z-rank", null, box("nope")).await());
    assertNull(cache.zrevrank("z-missing", null, box("a")).await());
    assertEquals(3.0, cache.zscore("z-rank", null, box("c")).await());
    assertNull(cache.zscore("z-missing", "c").await());
    assertJson(new JsonArray().add(1.0).addNull().add(5.0), cache.zmscore("z-rank", null, arrayOf("a", "nope", "e")).await());
    assertJson(new JsonArray().addNull(), cache.zmscore("z-missing", null, arrayOf("a")).await());
    assertEquals(3.5, cache.zincrby("z-rank", 2.5, null, box("a")).await());
    assertEquals(2L, cache.zrank("z-rank", "a").await(), "3.5 sorts after b=2 and c=3");
    assertEquals(-1.25, cache.zincrby("z-rank", -1.25, null, box("fresh")).await(), "a missing member starts at 0");
    assertEquals(7.0, cache.zincrby("z-new", 7.0, 1, box("m")).await(), "a missing key is created");
    assertJson(pairs("m", 7), cache.zrange("z-new", 0L, -1L, true, null).await());
  }

  @Test
  void removalsAndDeletionWhenEmptied() {
    abcde("z-rem");
    assertEquals(2L, cache.zrem("z-rem", null, arrayOf("a", "b", "nope")).await());
    assertEquals(0L, cache.zrem("z-rem", null, new JsonArray()).await());
    assertEquals(1L, cache.zremrangebyrank("z-rem", -1L, -1L, null).await());
    assertJson(arrayOf("c", "d"), cache.zrange("z-rem", 0L, -1L, null, null).await());
    assertEquals(1L, cache.zremrangebyscore("z-rem", "(3", "+inf", null).await());
    assertEquals(0L, cache.zremrangebyscore("z-rem", "(3", "+inf", null).await());
    assertEquals(1L, cache.zremrangebyrank("z-rem", 0L, 0L, null).await());
    assertFalse(exists("z-rem", 1), "a sorted set is deleted when it loses its last member");
    abcde("z-rem");
    assertEquals(5L, cache.zremrangebyscore("z-rem", "-inf", "+inf", null).await());
    assertFalse(exists("z-rem", 1));
    assertEquals(0L, cache.zremrangebyrank("z-missing", 0L, -1L, null).await());
  }

  @Test
  void popsAlwaysReplyWithAListOfPairs() {
    abcde("z-pop");
    assertJson(pairs("a", 1), cache.zpopmin("z-pop", null, null).await());
    assertJson(pairs("e", 5, "d", 4), cache.zpopmax("z-pop", 2L, null).await());
    assertJson(pairs("b", 2), cache.zpopmin("z-pop", 1L, null).await());
    assertJson(new JsonArray(), cache.zpopmin("z-pop", 0L, null).await());
    assertJson(pairs("c", 3), cache.zpopmax("z-pop", 10L, null).await());
    assertFalse(exists("z-pop", 1));
    assertJson(new JsonArray(), cache.zpopmin("z-pop", null, null).await());
    assertJson(new JsonArray(), cache.zpopmax("z-pop", 3L, null).await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.zpopmax("z-pop", -1L, null));
  }

  @Test
  void membersAreEncodedAndComparedByTheirEncoding() {
    JsonObject one = new JsonObject().put("id", 1);
    JsonObject two = new JsonObject().put("id", 2).put("tags", new JsonArray().add("x"));
    JsonArray entries = new JsonArray().add(pair(one, 1)).add(pair(two, 2)).add(pair(1, 3)).add(pair("1", 4));
    assertEquals(4L, cache.zadd("z-enc", null, null, entries).await(), "the integer 1 and the string \"1\" are different members");
    assertEquals(1.0, cache.zscore("z-enc", null, box(new JsonObject().put("id", 1))).await());
    assertEquals(1L, cache.zrank("z-enc", null, box(new JsonObject().put("id", 2).put("tags", new JsonArray().add("x")))).await());
    assertEquals(3L, cache.zrank("z-enc", null, box("1")).await());
    assertEquals(2L, cache.zrank("z-enc", null, box(1L)).await());
    assertNull(cache.zscore("z-enc", null, box(new JsonObject().put("id", 3))).await());
    assertEquals("{\"id\":1}", fx.redis(Command.ZRANGE, fx.stored("z-enc", 1), 0, 0).get(0).toString());
    JsonArray withScores = cache.zrange("z-enc", 0L, -1L, true, null).await();
    assertJson(entries, withScores);
    assertEquals(1, withScores.getJsonArray(0).getJsonObject(0).getInteger("id"));
    assertEquals(1L, cache.zrem("z-enc", null, arrayOf(new JsonObject().put("id", 1))).await());
    // the Java map convenience: members are any values
    Map<Object, Number> mapping = new LinkedHashMap<>();
    mapping.put("k", 2);
    mapping.put(new JsonObject().put("id", 9), 0.5);
    assertEquals(2L, cache.zadd("z-enc-map", mapping).await());
    assertJson(pairs(new JsonObject().put("id", 9), 0.5, "k", 2), cache.zrange("z-enc-map", 0L, -1L, true, null).await());
  }

  @Test
  void versionsIsolateSortedSets() {
    cache.zadd("z-ver", null, null, pairs("one", 1)).await();
    cache.zadd("z-ver", null, 2, pairs("two", 2, "deux", 2.5)).await();
    assertJson(arrayOf("one"), cache.zrange("z-ver", 0L, -1L, null, 1).await());
    assertJson(arrayOf("two", "deux"), cache.zrange("z-ver", 0L, -1L, null, 2).await());
    assertEquals(2L, cache.zcard("z-ver", 2).await());
    assertNull(cache.zscore("z-ver", 2, box("one")).await());
    assertJson(pairs("deux", 2.5), cache.zpopmax("z-ver", null, 2).await());
    assertEquals(1L, cache.zcard("z-ver", 1).await());
  }

  @Test
  void mutationsKeepTheTtl() {
    abcde("z-ttl");
    fx.redis(Command.PEXPIRE, fx.stored("z-ttl", 1), 100_000);
    cache.zadd("z-ttl", null, null, pairs("f", 6, "a", 0)).await();
    cache.zincrby("z-ttl", 1.0, null, box("b")).await();
    cache.zrem("z-ttl", null, arrayOf("c")).await();
    cache.zpopmin("z-ttl", null, null).await();
    cache.zremrangebyrank("z-ttl", 0L, 0L, null).await();
    cache.zremrangebyscore("z-ttl", "6", "6", null).await();
    assertEquals(2L, cache.zcard("z-ttl").await());
    long pttl = fx.redis(Command.PTTL, fx.stored("z-ttl", 1)).toLong();
    assertTrue(pttl > 90_000 && pttl <= 100_000, "pttl " + pttl);
  }

  @Test
  void aStringKeyIsWrongType() {
    cache.set("z-string", "text").await();
    assertFails(CachexError.WRONG_TYPE, cache.zadd("z-string", null, null, pairs("a", 1)));
    assertFails(CachexError.WRONG_TYPE, cache.zrange("z-string", 0L, -1L, null, null));
    assertFails(CachexError.WRONG_TYPE, cache.zrangebyscore("z-string", "-inf", "+inf", null, null, null, null));
    assertFails(CachexError.WRONG_TYPE, cache.zscore("z-string", null, box("a")));
    assertFails(CachexError.WRONG_TYPE, cache.zincrby("z-string", 1.0, null, box("a")));
    assertFails(CachexError.WRONG_TYPE, cache.zpopmin("z-string", null, null));
    assertFails(CachexError.WRONG_TYPE, cache.zcard("z-string", null));
    cache.sadd("z-a-set", "m").await();
    assertFails(CachexError.WRONG_TYPE, cache.zadd("z-a-set", null, null, pairs("a", 1)));
    assertEquals("text", cache.get("z-string").await());
  }

  static Object raw(String action, JsonObject body) {
    return fx.vertx.eventBus().request(fx.address, body, new DeliveryOptions().addHeader("action", action)).await().body();
  }

  @Test
  void bridgeMessagesUseTheDocumentedJson() {
    JsonObject zadd = new JsonObject().put("key", "z-wire").put("options", new JsonObject().put("ch", true))
        .put("entries", new JsonArray().add(new JsonArray().add("alice").add(10)).add(new JsonArray().add(new JsonObject().put("id", 2)).add(2.5)));
    assertEquals(2L, ((Number) raw("zadd", zadd)).longValue());
    assertJson(pairs(new JsonObject().put("id", 2), 2.5, "alice", 10),
        (JsonArray) raw("zrangebyscore", new JsonObject().put("key", "z-wire").put("min", "-inf").put("max", "+inf").put("withscores", true)));
    assertEquals(12.0, raw("zincrby", new JsonObject().put("key", "z-wire").put("amount", 2).put("member", new JsonArray().add("alice"))));
    assertJson(pairs("alice", 12), (JsonArray) raw("zpopmax", new JsonObject().put("key", "z-wire")));
    assertNull(raw("zrank", new JsonObject().put("key", "z-wire").put("member", new JsonArray().add("alice"))));
  }
}
