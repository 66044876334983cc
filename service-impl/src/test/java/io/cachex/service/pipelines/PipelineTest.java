package io.cachex.service.pipelines;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.ExpiryOptions;
import io.cachex.api.Pipeline;
import io.cachex.api.PipelineOptions;
import io.cachex.api.SetOptions;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.LatencyProxy;
import io.cachex.service.support.ServiceTest;
import io.cachex.service.support.SharedRedis;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cachex.api.JsonValues.box;
import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Pipelines through the Java builder (one proxied call) and as raw JSON over the event bus. */
@Tag("contract")
class PipelineTest extends ServiceTest {
  String stored(String key) {
    return fx.redis(Command.GET, fx.stored(key, 1)) == null ? null : fx.redis(Command.GET, fx.stored(key, 1)).toString();
  }

  long pttl(String key) {
    return fx.redis(Command.PTTL, fx.stored(key, 1)).toLong();
  }

  /** A raw bridge-style request: action header + JSON body. */
  Object raw(String action, JsonObject body) {
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(5000).addHeader("action", action);
    return fx.vertx.eventBus().request(fx.address, body, o).await().body();
  }

  ReplyException rawFailure(String action, JsonObject body) {
    try {
      Object reply = raw(action, body);
      fail("expected a failure, got " + reply);
      return null;
    } catch (Exception e) {
      return assertInstanceOf(ReplyException.class, e);
    }
  }

  static JsonObject op(String action, JsonObject args) {
    return new JsonObject().put("action", action).put("args", args);
  }

  static void assertErrorSlot(CachexError code, Object slot, String... mentions) {
    JsonObject error = assertInstanceOf(JsonObject.class, slot).getJsonObject("error");
    assertTrue(error != null, "expected an error slot, got " + slot);
    assertEquals(code.name(), error.getString("code"), error.encode());
    assertEquals(code.code(), error.getInteger("failureCode"));
    assertTrue(error.getString("message").startsWith(code.name() + " "), error.getString("message"));
    for (String m : mentions) {
      assertTrue(error.getString("message").contains(m), "'" + error.getString("message") + "' should mention " + m);
    }
  }

  @Test
  void mixedOperationsReplyInOrderDecodedAsTheSingleCalls() {
    cache.set("m:old", new JsonObject().put("x", 1)).await();
    Pipeline p = cache.pipeline();
    CachexService b = p.ops();
    Future<Void> set = b.set("m:n", 1);
    Future<Boolean> add = b.add("m:s", "text");
    Future<Boolean> addAgain = b.add("m:s", "other");
    Future<Long> incr = b.incr("m:n", 5);
    Future<Long> decr = b.decr("m:n");
    Future<Object> n = b.get("m:n");
    Future<Object> s = b.get("m:s");
    Future<Object> old = b.get("m:old");
    Future<Object> missing = b.get("m:missing", "fallback");
    Future<JsonObject> many = b.getMany(List.of("m:n", "m:s", "m:missing"));
    Future<List<String>> setMany = b.setMany(Map.of("m:a", List.of(1, 2), "m:b", true));
    Future<Boolean> hasA = b.hasKey("m:a");
    Future<Boolean> hasMissing = b.hasKey("m:missing");
    Future<Boolean> touch = b.touch("m:a", ExpiryOptions.timeout(100));
    Future<Boolean> deleted = b.delete("m:b");
    Future<Long> deleteMany = b.deleteMany(List.of("m:b", "m:nothing"));
    Future<Object> setGet = b.set("m:s", "newer", new SetOptions().setGet(true));
    Future<Integer> version = b.incrVersion("m:old");
    Future<Void> close = b.close();
    assertEquals(19, p.size());
    assertFalse(n.isComplete(), "nothing runs before execute()");

    JsonArray slots = p.execute().await();

    assertEquals(19, slots.size());
    for (Object slot : slots) {
      assertTrue(((JsonObject) slot).containsKey("ok"), "every slot succeeded: " + slots.encode());
    }
    assertNull(set.result());
    assertTrue(add.result());
    assertFalse(addAgain.result());
    assertEquals(6L, incr.result());
    assertEquals(5L, decr.result());
    assertEquals(5L, n.result());
    assertEquals("text", s.result());
    assertEquals(new JsonObject().put("x", 1), old.result());
    assertEquals("fallback", missing.result());
    assertEquals(new JsonObject().put("m:n", 5L).put("m:s", "text"), many.result());
    assertEquals(List.of(), setMany.result());
    assertTrue(hasA.result());
    assertFalse(hasMissing.result());
    assertTrue(touch.result());
    assertTrue(deleted.result());
    assertEquals(0L, deleteMany.result());
    assertEquals("text", setGet.result());
    assertEquals(2, version.result());
    assertNull(close.result());

    // the raw slots carry what the single actions reply
    assertEquals(6L, ((Number) slots.getJsonObject(3).getValue("ok")).longValue());
    assertEquals(new JsonArray().add(1).add(2), cache.get("m:a").await());
    // and the same reads done singly decode the same way
    assertEquals(cache.get("m:n").await(), n.result());
    assertEquals(cache.getMany(List.of("m:n", "m:missing")).await().getValue("m:n"), many.result().getValue("m:n"));
    assertEquals("newer", cache.get("m:s").await());
    assertEquals(new JsonObject().put("x", 1), cache.get("m:old", 2, null).await());
    long ttl = pttl("m:a");
    assertTrue(ttl > 90_000 && ttl <= 100_000, "touch in the pipeline applied its timeout: " + ttl);
  }

  @Test
  void writesInAPipelineGetNoDefaultExpiryUnlessGiven() {
    Pipeline p = cache.pipeline();
    p.ops().set("e:plain", 1);
    p.ops().set("e:timed", 1, SetOptions.timeout(50));
    p.ops().add("e:added", "v");
    p.execute().await();
    assertEquals(-1L, pttl("e:plain"), "set in a pipeline: no default expiry");
    assertEquals(-1L, pttl("e:added"));
    long timed = pttl("e:timed");
    assertTrue(timed > 40_000 && timed <= 50_000, "an explicit timeout still applies: " + timed);
    fx.request("set", new JsonObject().put("key", "e:single").put("value", new JsonArray().add(1))).await();
    assertTrue(pttl("e:single") > 0, "a single set keeps the configured default expiry");
  }

  @Test
  void anErrorInTheMiddleIsReportedInItsSlotAndTheOthersAreApplied() {
    cache.set("x:text", "not a number").await();
    Pipeline p = cache.pipeline();
    CachexService b = p.ops();
    Future<Void> before = b.set("x:before", 1);
    Future<Long> bad = b.incr("x:text");
    Future<Long> after = b.incr("x:after", 10);
    Future<Object> read = b.get("x:before");

    JsonArray slots = p.execute().await();

    assertEquals(4, slots.size());
    assertTrue(slots.getJsonObject(0).containsKey("ok"));
    assertErrorSlot(CachexError.WRONG_TYPE, slots.getValue(1), "incr(x:text)");
    assertEquals(10L, ((Number) slots.getJsonObject(2).getValue("ok")).longValue());
    assertEquals(1L, ((Number) slots.getJsonObject(3).getValue("ok")).longValue());
    assertTrue(before.succeeded());
    ServiceException e = assertFails(CachexError.WRONG_TYPE, bad);
    assertTrue(e.getMessage().contains("incr(x:text)"), e.getMessage());
    assertEquals(10L, after.await());
    assertEquals(1L, read.await());
    assertEquals("1", stored("x:before"));
    assertEquals("10", stored("x:after"));
    assertEquals("not a number", cache.get("x:text").await());
  }

  @Test
  void aTransactionAppliesEverythingAndReportsRuntimeErrorsInTheirSlots() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.cachex.service.support.Topology.current() != io.cachex.service.support.Topology.REDIS_CLUSTER,
        "pipeline transactions are NOT_SUPPORTED on Redis Cluster (RedisClusterTest)");
    cache.set("t:text", "abc").await();
    Pipeline p = cache.pipeline();
    CachexService b = p.ops();
    Future<Void> set = b.set("t:n", 1);
    Future<Long> incr = b.incr("t:n", 2);
    Future<Long> bad = b.incr("t:text");
    Future<Object> get = b.get("t:n");
    Future<JsonObject> many = b.getMany(List.of("t:n", "t:none"));
    Future<Boolean> del = b.delete("t:none");

    JsonArray slots = p.execute(PipelineOptions.transaction()).await();

    assertEquals(6, slots.size());
    assertTrue(set.succeeded());
    assertEquals(3L, incr.result());
    assertFails(CachexError.WRONG_TYPE, bad);
    assertErrorSlot(CachexError.WRONG_TYPE, slots.getValue(2), "incr(t:text)");
    assertEquals(3L, get.result());
    assertEquals(new JsonObject().put("t:n", 3L), many.result());
    assertFalse(del.result());
    assertEquals("3", stored("t:n"));
  }

  @Test
  void aTransactionWithAnInvalidOperationIsRefusedAndWritesNothing() {
    // through the builder: nx with xx is refused by the operation itself before anything is sent
    Pipeline p = cache.pipeline();
    Future<Void> first = p.ops().set("r:first", 1);
    Future<Object> bad = p.ops().set("r:second", 2, new SetOptions().setNx(true).setXx(true));
    ServiceException e = assertFails(CachexError.INVALID_ARGUMENT, p.execute(PipelineOptions.transaction()));
    assertTrue(e.getMessage().contains("nothing was written") && e.getMessage().contains("#1")
        && e.getMessage().contains("'nx' and 'xx'"), e.getMessage());
    assertFails(CachexError.INVALID_ARGUMENT, first);
    assertFails(CachexError.INVALID_ARGUMENT, bad);
    assertNull(stored("r:first"));

    // as raw JSON: a missing field in the last operation refuses the batch
    JsonObject body = new JsonObject()
        .put("operations", new JsonArray()
            .add(op("set", new JsonObject().put("key", "r:raw").put("value", new JsonArray().add(1))))
            .add(op("incr", new JsonObject().put("delta", 1))))
        .put("options", new JsonObject().put("transaction", true));
    ReplyException refused = rawFailure("pipeline", body);
    assertEquals(CachexError.INVALID_ARGUMENT.code(), refused.failureCode());
    assertTrue(refused.getMessage().startsWith("INVALID_ARGUMENT pipeline"), refused.getMessage());
    assertTrue(refused.getMessage().contains("'key'") && refused.getMessage().contains("incr"), refused.getMessage());
    assertNull(stored("r:raw"));

    // an unknown action too
    body.put("operations", new JsonArray()
        .add(op("set", new JsonObject().put("key", "r:raw").put("value", new JsonArray().add(1))))
        .add(op("frobnicate", new JsonObject())));
    assertTrue(rawFailure("pipeline", body).getMessage().contains("frobnicate"));
    assertNull(stored("r:raw"));
  }

  @Test
  void rawJsonPipelineReportsInvalidOperationsInTheirSlots() {
    JsonArray ops = new JsonArray()
        .add(op("set", new JsonObject().put("key", "j:a").put("value", new JsonArray().add(new JsonObject().put("z", 1)))))
        .add(op("frobnicate", new JsonObject().put("key", "j:a")))
        .add(op("get", new JsonObject()))
        .add(op("get", new JsonObject().put("key", "j:a").put("version", "one")))
        .add(op("pipeline", new JsonObject().put("operations", new JsonArray())))
        .add("not an object")
        .add(new JsonObject().put("action", "hasKey").put("args", "no"))
        .add(op("get", new JsonObject().put("key", "j:a")))
        .add(op("incr", new JsonObject().put("key", "j:n").put("delta", 3.0)))
        .add(op("getMany", new JsonObject().put("keys", new JsonArray().add("j:a").add("j:n"))))
        .add(op("setMany", new JsonObject().put("entries", new JsonObject().put("j:m", "v"))))
        .add(op("clear", null));

    Object reply = raw("pipeline", new JsonObject().put("operations", ops));

    JsonArray slots = assertInstanceOf(JsonArray.class, reply);
    assertEquals(ops.size(), slots.size());
    assertEquals(new JsonObject().put("ok", (Object) null), slots.getJsonObject(0));
    assertErrorSlot(CachexError.INVALID_ARGUMENT, slots.getValue(1), "frobnicate", "unknown action");
    assertErrorSlot(CachexError.INVALID_ARGUMENT, slots.getValue(2), "get", "'key'");
    assertErrorSlot(CachexError.INVALID_ARGUMENT, slots.getValue(3), "'version'", "integer");
    assertErrorSlot(CachexError.NOT_SUPPORTED, slots.getValue(4), "cannot run inside a pipeline");
    assertErrorSlot(CachexError.INVALID_ARGUMENT, slots.getValue(5), "#5");
    assertErrorSlot(CachexError.INVALID_ARGUMENT, slots.getValue(6), "'args'");
    assertEquals(new JsonObject().put("ok", new JsonObject().put("z", 1)), slots.getJsonObject(7));
    assertEquals(3L, ((Number) slots.getJsonObject(8).getValue("ok")).longValue());
    assertEquals(new JsonObject().put("j:a", new JsonObject().put("z", 1)).put("j:n", 3L),
        slots.getJsonObject(9).getJsonObject("ok"));
    assertEquals(new JsonArray(), slots.getJsonObject(10).getJsonArray("ok"));
    assertTrue(((Number) slots.getJsonObject(11).getValue("ok")).longValue() >= 3, "clear (several round trips) ran: " + slots);
    assertNull(stored("j:a"), "clear ran after the others");

    // the pipeline message itself is validated like any other
    assertEquals(CachexError.INVALID_ARGUMENT.code(), rawFailure("pipeline", new JsonObject()).failureCode());
    assertEquals(CachexError.INVALID_ARGUMENT.code(),
        rawFailure("pipeline", new JsonObject().put("operations", new JsonObject())).failureCode());
    assertEquals(new JsonArray(), raw("pipeline", new JsonObject().put("operations", new JsonArray())));
  }

  @Test
  void thePipelineVersionAppliesToOperationsThatNameNone() {
    Pipeline p = cache.pipeline();
    p.ops().set("v:k", "seven");
    p.ops().set("v:k", null, 1, box("one"));
    p.ops().add("v:a", "added");
    Future<Long> n = p.ops().incr("v:n", 4L, null);
    Future<Object> read = p.ops().get("v:k");
    Future<Object> readOne = p.ops().get("v:k", 1, null);
    p.execute(null, 7).await();
    assertEquals("seven", read.result());
    assertEquals("one", readOne.result());
    assertEquals(4L, n.result());
    assertEquals("\"seven\"", fx.redis(Command.GET, fx.stored("v:k", 7)).toString());
    assertEquals("\"added\"", fx.redis(Command.GET, fx.stored("v:a", 7)).toString());
    assertEquals("4", fx.redis(Command.GET, fx.stored("v:n", 7)).toString());
    assertEquals("\"one\"", stored("v:k"));
    ReplyException wrongVersion = rawFailure("pipeline", new JsonObject().put("operations", new JsonArray()).put("version", "x"));
    assertEquals(CachexError.INVALID_ARGUMENT.code(), wrongVersion.failureCode());
  }

  @Test
  void operationsNeedingSeveralRoundTripsRunInOrderInPipelinesAndAreRefusedInTransactions() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.cachex.service.support.Topology.current() != io.cachex.service.support.Topology.REDIS_CLUSTER,
        "pipeline transactions are NOT_SUPPORTED on Redis Cluster (RedisClusterTest)");
    cache.set("g:old", 1).await();
    Pipeline p = cache.pipeline();
    Future<Boolean> before = p.ops().add("g:k1", "made");
    Future<List<String>> keys = p.ops().keys("g:*");
    Future<Boolean> after = p.ops().add("g:k2", "made");
    p.execute().await();
    assertTrue(before.result() && after.result());
    assertEquals(java.util.Set.of("g:old", "g:k1"), new java.util.HashSet<>(keys.result()),
        "keys (a SCAN walk) runs after the operations before it and before the ones after it");

    Pipeline tx = cache.pipeline();
    Future<Void> set = tx.ops().set("g:other", 1);
    Future<Object> gos = tx.ops().getOrSet("g:new", "x");
    Future<Long> cleared = tx.ops().clear();
    ServiceException refused = assertFails(CachexError.NOT_SUPPORTED, tx.execute(PipelineOptions.transaction()));
    assertTrue(refused.getMessage().contains("transaction refused, nothing was written: operation #2 (clear)"), refused.getMessage());
    assertFails(CachexError.NOT_SUPPORTED, set);
    assertFails(CachexError.NOT_SUPPORTED, gos);
    assertFails(CachexError.NOT_SUPPORTED, cleared);
    assertNull(stored("g:new"));
    assertNull(stored("g:other"));
    // getOrSet is one atomic script: it runs inside a transaction
    Pipeline again = cache.pipeline();
    Future<Object> made = again.ops().getOrSet("g:new", "x");
    Future<Object> existing = again.ops().getOrSet("g:k1", "other");
    again.execute(PipelineOptions.transaction()).await();
    assertEquals("x", made.result());
    assertEquals("made", existing.result());
  }

  @Test
  void theBuilderIsUsedOnceAndDoesNotNest() {
    Pipeline p = Pipeline.of(cache);
    assertEquals(new JsonArray(), p.execute().await());
    assertThrows(IllegalStateException.class, () -> p.ops().get("k"));
    assertTrue(p.execute().failed());
    assertThrows(IllegalStateException.class, () -> Pipeline.of(cache).ops().pipeline(new JsonArray(), null, null));
    Pipeline q = Pipeline.of(cache);
    q.ops().incr("o:n", 2);
    assertEquals(new JsonArray().add(new JsonObject().put("action", "incr")
        .put("args", new JsonObject().put("key", "o:n").put("delta", 2L))), q.operations());
  }

  @Test
  void aFailedPipelineFailsEveryRecordedFuture() {
    CachexService unreachable = CachexService.createProxyWithOptions(vertx, "cachex.nobody.home",
        new DeliveryOptions().setSendTimeout(2000));
    Pipeline p = Pipeline.of(unreachable);
    Future<Object> get = p.ops().get("k");
    Future<JsonArray> all = p.execute();
    assertThrows(Exception.class, all::await);
    assertTrue(get.failed());
    assertEquals(all.cause(), get.cause());
  }

  /**
   * The proof that N operations cost one round trip: the service talks to Redis through a proxy
   * that delays every chunk it forwards by 50 ms. A single call then takes at least 50 ms, so 100
   * operations that each waited for their own reply would take at least 5 s; the pipeline of 100
   * must finish within a small multiple of ONE delay (plain and as a transaction).
   */
  @Test
  void hundredOperationsCostOneRoundTrip() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.cachex.service.support.Topology.current().singleServer(),
        "the latency proxy sits in front of the standalone server");
    long delay = 50;
    LatencyProxy proxy = LatencyProxy.start(vertx, SharedRedis.get().host(), SharedRedis.get().port(), delay);
    CachexFixture slow = CachexFixture.deploy(vertx, new JsonObject().put("redis", new JsonObject()
        .put("endpoints", new JsonArray().add(proxy.uri())).put("commandTimeoutMs", 20_000)));
    try {
      CachexService c = slow.cache;
      c.hasKey("warm-up").await();
      Pipeline warm = c.pipeline();
      warm.ops().hasKey("warm-up");
      warm.execute(PipelineOptions.transaction()).await(); // opens the dedicated connection
      long t0 = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        c.incr("rt:single").await();
      }
      long singleMs = (System.nanoTime() - t0) / 1_000_000 / 5;
      assertTrue(singleMs >= delay, "the proxy delays each round trip: " + singleMs + " ms per call");

      for (boolean transaction : new boolean[]{false, true}) {
        Pipeline p = c.pipeline();
        List<Future<Long>> counts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          counts.add(p.ops().incr("rt:" + transaction));
        }
        long start = System.nanoTime();
        JsonArray slots = p.execute(new PipelineOptions().setTransaction(transaction)).await();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("pipeline of 100 (transaction=" + transaction + "): " + elapsedMs + " ms; single call: " + singleMs + " ms");
        assertEquals(100, slots.size());
        for (int i = 0; i < 100; i++) {
          assertEquals(i + 1L, counts.get(i).result(), "in order");
        }
        assertTrue(elapsedMs < 20 * delay, "100 operations in " + elapsedMs + " ms (transaction=" + transaction
            + "); one round trip each would need >= " + 100 * delay + " ms");
      }
    } finally {
      slow.undeploy();
      proxy.close();
    }
  }
}
