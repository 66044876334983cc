package io.cachex.service.lists;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.cachex.api.JsonValues.arrayOf;
import static io.cachex.api.JsonValues.box;
import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The list facet through the generated proxy, against a real server. */
@Tag("contract")
@ExtendWith(VertxExtension.class)
class ListCommandsTest {
  static Vertx vertx;
  static CachexFixture fx;
  static CachexService cache;

  @BeforeAll
  static void deploy(Vertx v) {
    vertx = v;
    // room for the 300 concurrent blockers of the concurrency test
    fx = CachexFixture.deploy(v, new JsonObject().put("redis", new JsonObject().put("blockingConnections", 400)));
    cache = fx.cache;
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  long pttl(String key) {
    return fx.redis(Command.PTTL, fx.stored(key, 1)).toLong();
  }

  boolean exists(String key, int version) {
    return fx.redis(Command.EXISTS, fx.stored(key, version)).toLong() == 1;
  }

  /** Compares by JSON text: decoding yields Integer or Long depending on nesting. */
  static void assertJson(Object expected, Object actual) {
    assertJson(expected, actual, null);
  }

  static void assertJson(Object expected, Object actual, String message) {
    assertEquals(new JsonArray().add(expected).encode(), new JsonArray().add(actual).encode(), message);
  }

  /**
   * INVALID_ARGUMENT from the request validator, which checks required fields and key strings before
   * the service runs: the proxy sees a plain ReplyException with the code, not a ServiceException.
   */
  static void assertRejected(Future<?> future, String field) {
    try {
      Object v = future.await();
      throw new AssertionError("expected INVALID_ARGUMENT but the call succeeded with " + v);
    } catch (ReplyException e) {
      assertEquals(CachexError.INVALID_ARGUMENT.code(), e.failureCode(), e.getMessage());
      assertTrue(e.getMessage().startsWith("INVALID_ARGUMENT "), e.getMessage());
      assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    }
  }

  static final JsonObject OBJ = new JsonObject().put("a", 1).put("b", new JsonArray().add("x").add(true));

  // ---- push, length, ranges, indices ----

  @Test
  void pushesLengthsRangesAndNegativeIndices() {
    assertEquals(0L, cache.llen("pl-missing").await());
    assertEquals(new JsonArray(), cache.lrange("pl-missing", 0L, -1L, null).await());
    assertNull(cache.lindex("pl-missing", 0L, null).await());

    assertEquals(5L, cache.rpush("pl", null, arrayOf(1, "two", OBJ, new JsonArray().add(3), null)).await());
    assertEquals(7L, cache.lpush("pl", null, arrayOf("b", "a")).await(), "lpush prepends one by one");
    assertEquals(7L, cache.llen("pl", null).await());
    assertJson(arrayOf("a", "b", 1, "two", OBJ, new JsonArray().add(3), null), cache.lrange("pl", 0L, -1L, null).await());
    assertJson(arrayOf(OBJ, new JsonArray().add(3)), cache.lrange("pl", -3L, -2L, null).await());
    assertJson(arrayOf(new JsonArray().add(3), null), cache.lrange("pl", 5L, 100L, null).await());
    assertEquals(new JsonArray(), cache.lrange("pl", 4L, 2L, null).await());
    assertEquals("a", cache.lindex("pl", 0L).await());
    assertEquals(1L, cache.lindex("pl", 2L, null).await());
    assertJson(OBJ, cache.lindex("pl", -3L, null).await());
    assertJson(new JsonArray().add(3), cache.lindex("pl", -2L, null).await());
    assertNull(cache.lindex("pl", -1L, null).await(), "a stored null element");
    assertNull(cache.lindex("pl", 7L, null).await(), "out of range");
    assertNull(cache.lindex("pl", -8L, null).await(), "out of range from the tail");
    // conveniences push one value, a JsonArray value as one element
    assertEquals(8L, cache.rpush("pl", new JsonArray().add(1).add(2)).await());
    assertEquals(9L, cache.lpush("pl", "first").await());
    assertJson(new JsonArray().add(1).add(2), cache.lindex("pl", -1L).await());
    assertEquals("first", cache.lindex("pl", 0L).await());
    // integers are stored as plain decimal, other values through the codec
    assertEquals("1", fx.redis(Command.LINDEX, fx.stored("pl", 1), 3).toString());
    assertEquals("\"two\"", fx.redis(Command.LINDEX, fx.stored("pl", 1), 4).toString());
  }

  @Test
  void pushRejectsAnEmptyValueArray() {
    ServiceException e = assertFails(CachexError.INVALID_ARGUMENT, cache.rpush("pe", null, new JsonArray()));
    assertTrue(e.getMessage().contains("values"), e.getMessage());
    assertRejected(cache.lpush("", null, arrayOf(1)), "key");
    assertFalse(exists("pe", 1));
  }

  // ---- pops ----

  @Test
  void popShapesSingleVersusCountAndDeletionWhenEmptied() {
    cache.rpush("pop", null, arrayOf(1, "two", OBJ, new JsonArray().add("in-array"), 5)).await();
    assertEquals(1L, cache.lpop("pop").await(), "no count: the element itself");
    assertEquals(5L, cache.rpop("pop", null, null).await());
    // with count: always an array, even of one element
    Object one = cache.lpop("pop", 1L, null).await();
    assertInstanceOf(JsonArray.class, one);
    assertEquals(new JsonArray().add("two"), one);
    // no count: an element that is itself an array comes back as that array
    assertJson(new JsonArray().add("in-array"), cache.rpop("pop").await());
    // count beyond the length: the rest, and the emptied list is gone
    Object rest = cache.rpop("pop", 10L, null).await();
    assertJson(arrayOf(OBJ), rest);
    assertFalse(exists("pop", 1), "an emptied list is deleted");
    // missing key: null without count, an empty array with count
    assertNull(cache.lpop("pop").await());
    assertNull(cache.rpop("pop", null, null).await());
    assertEquals(new JsonArray(), cache.lpop("pop", 3L, null).await());
    assertEquals(new JsonArray(), cache.rpop("pop", 3L, null).await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.lpop("pop", -1L, null));

    cache.rpush("pop2", null, arrayOf("a", "b", "c")).await();
    assertEquals(arrayOf("c", "b"), cache.rpop("pop2", 2L, null).await(), "rpop with count: from the tail, tail first");
    assertEquals(arrayOf("a"), cache.lpop("pop2", 5L, null).await());
    assertFalse(exists("pop2", 1));
  }

  // ---- lset, ltrim ----

  @Test
  void lsetReplacesByIndexAndReportsOutOfRangeAndMissingKey() {
    cache.rpush("ls", null, arrayOf("a", "b", "c")).await();
    cache.lset("ls", 0L, null, box(OBJ)).await();
    cache.lset("ls", -1L, "z").await();
    assertJson(arrayOf(OBJ, "b", "z"), cache.lrange("ls", 0L, -1L).await());
    ServiceException e = assertFails(CachexError.INVALID_ARGUMENT, cache.lset("ls", 3L, null, box("x")));
    assertTrue(e.getMessage().contains("index out of range"), e.getMessage());
    assertTrue(e.getMessage().contains("lset(ls)"), e.getMessage());
    assertFails(CachexError.INVALID_ARGUMENT, cache.lset("ls", -4L, null, box("x")));
    assertFails(CachexError.NOT_FOUND, cache.lset("ls-missing", 0L, null, box("x")));
    assertFalse(exists("ls-missing", 1));
    assertFails(CachexError.INVALID_ARGUMENT, cache.lset("ls", 0L, null, new JsonArray()));
    assertJson(arrayOf(OBJ, "b", "z"), cache.lrange("ls", 0L, -1L).await(), "failed calls wrote nothing");
  }

  @Test
  void ltrimKeepsARangeAndDeletesWhenNothingIsLeft() {
    cache.rpush("lt", null, arrayOf(0, 1, 2, 3, 4, 5)).await();
    cache.ltrim("lt", 1L, -2L, null).await();
    assertJson(arrayOf(1, 2, 3, 4), cache.lrange("lt", 0L, -1L).await());
    cache.ltrim("lt", -2L, 100L, null).await();
    assertJson(arrayOf(3, 4), cache.lrange("lt", 0L, -1L).await());
    cache.ltrim("lt", 5L, 10L, null).await();
    assertFalse(exists("lt", 1), "an empty trim deletes the list");
    cache.ltrim("lt-missing", 0L, 1L, null).await();
    assertRejected(cache.ltrim("lt", null, 1L, null), "start");
  }

  // ---- lrem, lpos, linsert: encoded elements compared ----

  @Test
  void lremComparesEncodedElementsIncludingJsonObjects() {
    cache.rpush("lr", null, arrayOf(OBJ, "x", OBJ, 1, "1", OBJ, "x", OBJ)).await();
    assertEquals(2L, cache.lrem("lr", 2L, null, box(OBJ.copy())).await(), "an equal object matches");
    assertJson(arrayOf("x", 1, "1", OBJ, "x", OBJ), cache.lrange("lr", 0L, -1L).await());
    assertEquals(1L, cache.lrem("lr", -1L, OBJ).await(), "negative count removes from the tail");
    assertJson(arrayOf("x", 1, "1", OBJ, "x"), cache.lrange("lr", 0L, -1L).await());
    assertEquals(1L, cache.lrem("lr", 0L, null, box(1)).await(), "the integer 1 is not the string \"1\"");
    assertEquals(2L, cache.lrem("lr", 0L, null, box("x")).await());
    assertJson(arrayOf("1", OBJ), cache.lrange("lr", 0L, -1L).await());
    assertEquals(0L, cache.lrem("lr", 0L, null, box(new JsonObject().put("a", 2))).await());
    assertEquals(1L, cache.lrem("lr", 0L, null, box("1")).await());
    assertEquals(1L, cache.lrem("lr", 0L, null, box(OBJ)).await());
    assertFalse(exists("lr", 1), "emptied by lrem: deleted");
    assertEquals(0L, cache.lrem("lr", 0L, null, box(OBJ)).await(), "missing key");
  }

  @Test
  void lposFindsEncodedElementsWithBothReplyShapes() {
    cache.rpush("lp", null, arrayOf("a", OBJ, "b", OBJ, "c", OBJ)).await();
    assertEquals(1L, cache.lpos("lp", OBJ.copy()).await());
    assertEquals(3L, cache.lpos("lp", 2L, null, null, null, box(OBJ)).await(), "second match");
    assertEquals(5L, cache.lpos("lp", -1L, null, null, null, box(OBJ)).await(), "last match");
    assertNull(cache.lpos("lp", "zz").await());
    assertNull(cache.lpos("lp", null, null, 1L, null, box(OBJ)).await(), "maxlen 1 compares only the head");
    assertNull(cache.lpos("lp-missing", "a").await());
    // with count: an array of indices
    Object all = cache.lpos("lp", null, 0L, null, null, box(OBJ)).await();
    assertEquals(new JsonArray().add(1L).add(3L).add(5L), all);
    assertEquals(new JsonArray().add(1L).add(3L), cache.lpos("lp", null, 2L, null, null, box(OBJ)).await());
    assertEquals(new JsonArray().add(5L).add(3L), cache.lpos("lp", -1L, 2L, null, null, box(OBJ)).await());
    assertEquals(new JsonArray().add(1L), cache.lpos("lp", null, 0L, 3L, null, box(OBJ)).await());
    assertEquals(new JsonArray(), cache.lpos("lp", null, 0L, null, null, box("zz")).await());
    assertEquals(new JsonArray(), cache.lpos("lp-missing", null, 1L, null, null, box("a")).await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.lpos("lp", 0L, null, null, null, box(OBJ)));
    assertFails(CachexError.INVALID_ARGUMENT, cache.lpos("lp", null, -1L, null, null, box(OBJ)));
  }

  @Test
  void linsertHasThreeOutcomes() {
    cache.rpush("li", null, arrayOf("a", OBJ, "c")).await();
    assertEquals(4L, cache.linsert("li", "AFTER", null, box(OBJ.copy()), box("b")).await(), "new length");
    assertEquals(5L, cache.linsert("li", "before", "a", 0).await(), "where is case-insensitive");
    assertJson(arrayOf(0, "a", OBJ, "b", "c"), cache.lrange("li", 0L, -1L).await());
    assertEquals(-1L, cache.linsert("li", "BEFORE", null, box("nope"), box("x")).await(), "pivot not found");
    assertEquals(0L, cache.linsert("li-missing", "BEFORE", null, box("a"), box("x")).await(), "key missing");
    assertFalse(exists("li-missing", 1));
    ServiceException e = assertFails(CachexError.INVALID_ARGUMENT, cache.linsert("li", "MIDDLE", null, box("a"), box("x")));
    assertTrue(e.getMessage().contains("where"), e.getMessage());
    assertRejected(cache.linsert("li", "AFTER", null, box("a"), null), "value");
    assertEquals(5L, cache.llen("li").await(), "invalid calls wrote nothing");
  }

  // ---- versions, TTL, wrong type ----

  @Test
  void versionsIsolateLists() {
    cache.rpush("vl", null, arrayOf("v1")).await();
    cache.rpush("vl", 2, arrayOf("v2a", "v2b")).await();
    assertEquals(1L, cache.llen("vl", 1).await());
    assertEquals(2L, cache.llen("vl", 2).await());
    assertEquals(arrayOf("v1"), cache.lrange("vl", 0L, -1L, null).await());
    assertEquals(arrayOf("v2a", "v2b"), cache.lrange("vl", 0L, -1L, 2).await());
    assertEquals("v2b", cache.rpop("vl", null, 2).await());
    assertEquals(0L, cache.llen("vl", 3).await());
    assertTrue(exists("vl", 1));
    assertTrue(exists("vl", 2));
  }

  @Test
  void mutationsKeepTheTtl() {
    cache.rpush("ttl", null, arrayOf(1, 2, 3, 4, 5, 6)).await();
    assertEquals(-1L, pttl("ttl"), "a push creates a list without expiry");
    fx.redis(Command.PEXPIRE, fx.stored("ttl", 1), 100_000);
    cache.rpush("ttl", null, arrayOf(7)).await();
    cache.lpush("ttl", null, arrayOf(0)).await();
    cache.lpop("ttl").await();
    cache.rpop("ttl", 1L, null).await();
    cache.lset("ttl", 0L, "one").await();
    cache.lrem("ttl", 0L, 2).await();
    cache.linsert("ttl", "AFTER", "one", "two").await();
    cache.ltrim("ttl", 0L, -2L, null).await();
    cache.lmove("ttl", "ttl", "LEFT", "RIGHT", null, null).await();
    long ttl = pttl("ttl");
    assertTrue(ttl > 90_000 && ttl <= 100_000, "ttl " + ttl);
    assertEquals(arrayOf("two", 3L, 4L, 5L, "one"), cache.lrange("ttl", 0L, -1L).await());
  }

  @Test
  void listOpsOnAStringKeyAreWrongType() {
    cache.set("str", "text").await();
    assertFails(CachexError.WRONG_TYPE, cache.llen("str", null));
    assertFails(CachexError.WRONG_TYPE, cache.lpush("str", null, arrayOf(1)));
    assertFails(CachexError.WRONG_TYPE, cache.rpush("str", null, arrayOf(1)));
    assertFails(CachexError.WRONG_TYPE, cache.lpop("str", null, null));
    assertFails(CachexError.WRONG_TYPE, cache.rpop("str", 2L, null));
    assertFails(CachexError.WRONG_TYPE, cache.lindex("str", 0L, null));
    assertFails(CachexError.WRONG_TYPE, cache.lrange("str", 0L, -1L, null));
    assertFails(CachexError.WRONG_TYPE, cache.lset("str", 0L, null, box(1)));
    assertFails(CachexError.WRONG_TYPE, cache.ltrim("str", 0L, 1L, null));
    assertFails(CachexError.WRONG_TYPE, cache.lrem("str", 0L, null, box(1)));
    assertFails(CachexError.WRONG_TYPE, cache.lpos("str", null, null, null, null, box(1)));
    assertFails(CachexError.WRONG_TYPE, cache.linsert("str", "AFTER", null, box(1), box(2)));
    assertFails(CachexError.WRONG_TYPE, cache.lmove("str", "wt-dst", "LEFT", "LEFT", null, null));
    assertFails(CachexError.WRONG_TYPE, cache.blpop(List.of("str"), 1.0, null));
    assertFails(CachexError.WRONG_TYPE, cache.brpop(List.of("str"), 1.0, null));
    assertFails(CachexError.WRONG_TYPE, cache.blmove("str", "wt-dst", 1.0, "LEFT", "LEFT", null, null));
    assertEquals("text", cache.get("str").await());
    assertFalse(exists("wt-dst", 1));
  }

  // ---- moves ----

  @Test
  void lmoveAcrossVersionsAndEnds() {
    cache.rpush("mv-src", null, arrayOf("a", OBJ, "c")).await();
    cache.rpush("mv-dst", 2, arrayOf("z")).await();
    assertEquals("a", cache.lmove("mv-src", "mv-dst", "LEFT", "RIGHT", null, 2).await());
    assertEquals("c", cache.lmove("mv-src", "mv-dst", "right", "left", 1, 2).await());
    assertEquals(arrayOf("c", "z", "a"), cache.lrange("mv-dst", 0L, -1L, 2).await());
    assertFalse(exists("mv-dst", 1), "the destination is in version 2 only");
    assertJson(OBJ, cache.lmove("mv-src", "mv-dst", "LEFT", "LEFT", null, 2).await());
    assertFalse(exists("mv-src", 1), "emptied source is deleted");
    assertNull(cache.lmove("mv-src", "mv-dst", "LEFT", "LEFT", null, 2).await(), "missing source");
    assertEquals(4L, cache.llen("mv-dst", 2).await());
    // rotation within one list
    assertJson(OBJ, cache.lmove("mv-dst", "mv-dst", "LEFT", "RIGHT", 2, 2).await());
    assertEquals("c", cache.lindex("mv-dst", 0L, 2).await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.lmove("mv-dst", "x", "UP", "LEFT", 2, 2));
    assertFails(CachexError.INVALID_ARGUMENT, cache.lmove("mv-dst", "", "LEFT", "LEFT", 2, 2));
    assertEquals(4L, cache.llen("mv-dst", 2).await());
  }

  @Test
  void blmoveAcrossVersionsImmediateWaitingAndTimingOut() {
    cache.rpush("bm-src", 3, arrayOf(OBJ, "b")).await();
    assertJson(OBJ, cache.blmove("bm-src", "bm-dst", 1.0, "LEFT", "RIGHT", 3, 4).await());
    assertEquals("b", cache.blmove("bm-src", "bm-dst", 0.0, "RIGHT", "LEFT", 3, 4).await(), "available: no wait");
    assertJson(arrayOf("b", OBJ), cache.lrange("bm-dst", 0L, -1L, 4).await());
    assertFalse(exists("bm-src", 3));

    long t0 = System.nanoTime();
    Future<Object> waiting = cache.blmove("bm-src", "bm-dst", 5.0, "LEFT", "RIGHT", 3, 4);
    vertx.setTimer(200, id -> cache.rpush("bm-src", 3, arrayOf("late")));
    assertEquals("late", waiting.await());
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(waitedMs >= 150 && waitedMs < 4000, "waited " + waitedMs);
    assertEquals("late", cache.lindex("bm-dst", -1L, 4).await());

    t0 = System.nanoTime();
    assertNull(cache.blmove("bm-empty", "bm-dst", 0.5, "LEFT", "RIGHT", 3, 4).await());
    waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(waitedMs >= 400, "timed out after " + waitedMs);
    assertEquals(3L, cache.llen("bm-dst", 4).await());
    assertFails(CachexError.INVALID_ARGUMENT, cache.blmove("bm-src", "bm-dst", -1.0, "LEFT", "RIGHT", 3, 4));
    assertFails(CachexError.INVALID_ARGUMENT, cache.blmove("bm-src", "bm-dst", 1.0, "LEFT", "DOWN", 3, 4));
  }

  // ---- blocking pops ----

  @Test
  void blpopReturnsTheCallersKeyAndValuePushedLater() {
    long t0 = System.nanoTime();
    Future<JsonArray> popped = cache.blpop(List.of("bp-a", "bp-b"), 5.0, null);
    vertx.setTimer(200, id -> cache.rpush("bp-b", null, arrayOf(OBJ, "second")));
    JsonArray reply = popped.await();
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertNotNull(reply);
    assertEquals(2, reply.size());
    assertEquals("bp-b", reply.getValue(0), "the caller's key, not the stored key");
    assertJson(OBJ, reply.getValue(1));
    assertTrue(waitedMs >= 150, "waited " + waitedMs);
    assertEquals(arrayOf("second"), cache.lrange("bp-b", 0L, -1L).await());

    // available at once; brpop pops from the tail of the first non-empty list, in key order
    cache.rpush("bp-a", null, arrayOf(1, 2)).await();
    assertEquals(new JsonArray().add("bp-a").add(2L), cache.brpop(List.of("bp-a", "bp-b"), 1.0, null).await());
    assertEquals(new JsonArray().add("bp-b").add("second"), cache.brpop(List.of("bp-missing", "bp-b"), 1.0).await());
    assertFalse(exists("bp-b", 1), "emptied by brpop: deleted");
    assertEquals(new JsonArray().add("bp-a").add(1L), cache.blpop(List.of("bp-a"), 1.0).await());
    // versions: a list of version 2 is not seen at version 1
    cache.rpush("bp-v", 2, arrayOf("v2")).await();
    assertNull(cache.blpop(List.of("bp-v"), 0.2, 1).await());
    assertEquals(new JsonArray().add("bp-v").add("v2"), cache.blpop(List.of("bp-v"), 0.2, 2).await());
  }

  @Test
  void blpopTimesOutWithNull() {
    long t0 = System.nanoTime();
    assertNull(cache.blpop(List.of("bp-never"), 1.0, null).await());
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(waitedMs >= 900 && waitedMs < 3000, "timed out after " + waitedMs);
    assertFalse(exists("bp-never", 1));
  }

  @Test
  void blockingTimeoutIsValidatedAndClampedToMaxBlockingTimeout() {
    assertFails(CachexError.INVALID_ARGUMENT, cache.blpop(List.of("bt"), -1.0, null));
    assertFails(CachexError.INVALID_ARGUMENT, cache.brpop(List.of(), 1.0, null));
    assertRejected(cache.blpop(List.of("bt", ""), 1.0, null), "keys");
    CachexFixture small = CachexFixture.deploy(vertx, new JsonObject().put("maxBlockingTimeoutSeconds", 1));
    try {
      for (Double timeout : new Double[] {0.0, null, 60.0}) {
        long t0 = System.nanoTime();
        // unclamped, 0 would block forever and 60 s would outlast the proxy's 10 s send timeout
        assertNull(small.cache.blpop(List.of("bt"), timeout, null).await(), "timeout " + timeout);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waitedMs >= 900 && waitedMs < 3000, "timeout " + timeout + " waited " + waitedMs);
      }
    } finally {
      small.undeploy();
    }
  }

  /**
   * 300 callers blocked on empty lists hold connections of their own: 500 ordinary calls made
   * meanwhile all complete before any blocker does, and then every blocker gets exactly one of the
   * 300 values pushed.
   */
  @Test
  void blockedCallersDoNotDelayOthersAndEachGetsExactlyOneValue() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.cachex.service.support.Topology.current() != io.cachex.service.support.Topology.REDIS_CLUSTER,
        "counts blocked clients with INFO on one server");
    int blockers = 300;
    int lists = 10;
    Map<String, Object> seeded = new java.util.HashMap<>();
    for (int i = 0; i < 250; i++) {
      seeded.put("plain-get-" + i, i);
    }
    assertEquals(List.of(), cache.setMany(seeded).await());
    // warm the blocking pool: opening 300 connections on a loaded machine can take longer than the
    // blockers' 3 s timeout, which is not what this test measures
    List<Future<JsonArray>> warmUp = new ArrayList<>();
    for (int i = 0; i < blockers; i++) {
      warmUp.add(cache.blpop(List.of("conc-warm"), 0.1, null));
    }
    Future.all(warmUp).await();
    long blockedBefore = blockedClients();

    List<Future<JsonArray>> pops = new ArrayList<>();
    List<String> asked = new ArrayList<>();
    long[] popDone = new long[blockers];
    for (int i = 0; i < blockers; i++) {
      String key = "conc-" + (i % lists);
      asked.add(key);
      int n = i;
      pops.add(cache.blpop(List.of(key), 3.0, null).onComplete(ar -> popDone[n] = System.nanoTime()));
    }
    // wait until the server really holds them blocked
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (blockedClients() - blockedBefore < blockers && System.nanoTime() < deadline) {
      sleep(10);
    }
    assertEquals(blockers, blockedClients() - blockedBefore, "blocked clients on the server");

    List<Future<?>> plain = new ArrayList<>();
    long[] plainDone = new long[500];
    for (int i = 0; i < 500; i++) {
      int n = i;
      Future<?> call = i % 2 == 0
          ? cache.set("plain-set-" + i, i)
          : cache.get("plain-get-" + (i / 2)).map(v -> {
            assertEquals((long) (n / 2), v);
            return v;
          });
      plain.add(call.onComplete(ar -> plainDone[n] = System.nanoTime()));
    }
    Future.join(plain).await();
    for (Future<?> f : plain) {
      assertTrue(f.succeeded(), () -> "ordinary call failed: " + f.cause());
    }
    long lastPlain = 0;
    for (long t : plainDone) {
      lastPlain = Math.max(lastPlain, t);
    }
    for (Future<JsonArray> p : pops) {
      assertFalse(p.isComplete(), "a blocker completed before the ordinary calls did: " + p.result());
    }
    assertEquals(498L, cache.get("plain-set-498").await());

    // now feed them: 30 values per list
    Set<String> pushed = new HashSet<>();
    List<Future<Long>> pushes = new ArrayList<>();
    for (int l = 0; l < lists; l++) {
      JsonArray values = new JsonArray();
      for (int j = 0; j < blockers / lists; j++) {
        String v = "conc-" + l + "/" + j;
        values.add(v);
        pushed.add(v);
      }
      pushes.add(cache.rpush("conc-" + l, null, values));
    }
    Future.all(pushes).await();
    Future.all(pops).await();

    Set<String> received = new HashSet<>();
    for (int i = 0; i < blockers; i++) {
      JsonArray reply = pops.get(i).result();
      assertNotNull(reply, "blocker " + i + " timed out");
      assertEquals(asked.get(i), reply.getString(0));
      String value = reply.getString(1);
      assertTrue(value.startsWith(asked.get(i) + "/"), value + " came from the list the caller waited on");
      assertTrue(received.add(value), "duplicate " + value);
      assertTrue(popDone[i] > lastPlain, "completion order: blocker " + i + " before the ordinary calls");
    }
    assertEquals(pushed, received, "none lost");
    for (int l = 0; l < lists; l++) {
      assertEquals(0L, cache.llen("conc-" + l).await());
    }
  }

  /** The same actions as JSON messages, as a bridge client sends them (integral timeout, unboxed replies). */
  @Test
  void actionsAsRawJsonMessages() {
    assertEquals(3L, ((Number) raw("rpush", new JsonObject().put("key", "raw").put("values", arrayOf(1, "two", OBJ)))).longValue());
    assertEquals(1L, ((Number) raw("lpop", new JsonObject().put("key", "raw"))).longValue());
    assertJson(arrayOf(OBJ, "two"), raw("rpop", new JsonObject().put("key", "raw").put("count", 5)));
    assertNull(raw("lpop", new JsonObject().put("key", "raw")));
    assertEquals(new JsonArray(), raw("lpop", new JsonObject().put("key", "raw").put("count", 1)));
    assertEquals(0L, ((Number) raw("linsert", new JsonObject().put("key", "raw2").put("where", "AFTER")
        .put("pivot", arrayOf("a")).put("value", arrayOf("b")).put("version", 1))).longValue(), "missing key");
    assertEquals(2L, ((Number) raw("rpush", new JsonObject().put("key", "raw2").put("values", arrayOf("a", "c")))).longValue());
    assertEquals(3L, ((Number) raw("linsert", new JsonObject().put("key", "raw2").put("where", "AFTER")
        .put("pivot", arrayOf("a")).put("value", arrayOf("b")))).longValue());
    assertEquals(new JsonArray().add(1L), raw("lpos", new JsonObject().put("key", "raw2").put("value", arrayOf("b")).put("count", 0)));
    assertEquals(new JsonArray().add("raw2").add("a"), raw("blpop", new JsonObject().put("keys", new JsonArray().add("raw2")).put("timeout", 1)));
    assertNull(raw("brpop", new JsonObject().put("keys", new JsonArray().add("raw-empty")).put("timeout", 0.2)));
    assertEquals("c", raw("blmove", new JsonObject().put("src", "raw2").put("dst", "raw3")
        .put("wherefrom", "RIGHT").put("whereto", "LEFT").put("dstVersion", 2)));
    assertEquals(arrayOf("c"), cache.lrange("raw3", 0L, -1L, 2).await());
  }

  Object raw(String action, JsonObject body) {
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(5000).addHeader("action", action);
    return fx.vertx.eventBus().request(fx.address, body, o).await().body();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  long blockedClients() {
    String info = fx.redis(Command.INFO, "clients").toString();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("blocked_clients:")) {
        return Long.parseLong(line.substring("blocked_clients:".length()).trim());
      }
    }
    throw new AssertionError("no blocked_clients in INFO: " + info);
  }
}
