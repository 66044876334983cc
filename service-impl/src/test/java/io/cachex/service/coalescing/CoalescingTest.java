package io.cachex.service.coalescing;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.CoalescingCachexService;
import io.cachex.api.LockLease;
import io.cachex.api.LockOptions;
import io.cachex.api.contract.Actions;
import io.cachex.service.bridge.BridgePolicy;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static io.cachex.api.JsonValues.box;
import static io.cachex.service.support.CachexFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coalescing proxy: calls made concurrently share event-bus messages (counted by an outbound
 * interceptor), and each caller still gets its own result or error, in order, with its own
 * deadline; actions that may wait or take several round trips go alone; the {@code batch} action
 * runs each operation as it would run alone.
 */
class CoalescingTest extends ServiceTest {
  /** The messages sent to the service address during a test: the action header, and the batch's operations. */
  final List<String> sent = new CopyOnWriteArrayList<>();
  Handler<DeliveryContext<Object>> counter;

  @BeforeEach
  void countMessages() {
    counter = dc -> {
      if (fx.address.equals(dc.message().address())) {
        String action = dc.message().headers().get("action");
        if ("batch".equals(action)) {
          JsonArray ops = ((JsonObject) dc.message().body()).getJsonArray("operations");
          List<String> names = new ArrayList<>();
          ops.forEach(o -> names.add(((JsonObject) o).getString("action")));
          action = "batch" + names;
        }
        sent.add(action);
      }
      dc.next();
    };
    fx.vertx.eventBus().addOutboundInterceptor(counter);
  }

  @AfterEach
  void stopCounting() {
    fx.vertx.eventBus().removeOutboundInterceptor(counter);
  }

  CachexService coalescing() {
    return CoalescingCachexService.create(fx.vertx, fx.address,
        new CoalescingCachexService.Options().setDelivery(new DeliveryOptions().setSendTimeout(10_000)));
  }

  static String key() {
    return "co:" + UUID.randomUUID();
  }

  /** Runs {@code calls} on one event loop, in one turn (as callers on one verticle would), and awaits them all. */
  static <T> List<Future<T>> inOneTurn(int n, java.util.function.IntFunction<Future<T>> call) {
    Promise<List<Future<T>>> issued = Promise.promise();
    fx.vertx.getOrCreateContext().runOnContext(v -> {
      List<Future<T>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        fs.add(call.apply(i));
      }
      issued.complete(fs);
    });
    List<Future<T>> fs = issued.future().await();
    Future.join(new ArrayList<>(fs)).otherwiseEmpty().await();
    return fs;
  }

  long batches() {
    return sent.stream().filter(s -> s.startsWith("batch")).count();
  }

  @Test
  void aLoneCallLeavesAtOnceAsItself() {
    CachexService c = coalescing();
    String k = key();
    c.set(k, "x").await();
    assertEquals("x", c.get(k).await());
    assertEquals(List.of("set", "get"), sent);
  }

  @Test
  void concurrentCallsShareMessages() {
    CachexService c = coalescing();
    String k = key();
    List<Future<Long>> incrs = inOneTurn(200, i -> c.incr(k));
    List<Long> results = new ArrayList<>();
    incrs.forEach(f -> results.add(f.result()));
    // each caller its own result, in the order the calls were made
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= 200; i++) {
      expected.add(i);
    }
    assertEquals(expected, results);
    // the first alone, the others held while it was out, 32 at most per message (the default)
    assertEquals("incr", sent.get(0));
    assertTrue(sent.size() <= 1 + 7, "messages: " + sent.size() + " " + sent);
    assertTrue(sent.stream().skip(1).allMatch(s -> s.startsWith("batch[incr")), sent.toString());
  }

  @Test
  void callersThatCallAgainFromTheirCallbacksTravelTogether() {
    // a closed loop of 32 callers, each calling again when its call completes, 20 times
    CachexService c = coalescing();
    String k = key();
    Promise<Void> done = Promise.promise();
    int[] counts = {0, 0}; // issued, completed
    fx.vertx.getOrCreateContext().runOnContext(v -> {
      for (int i = 0; i < 32; i++) {
        loop(c, k, counts, done);
      }
    });
    done.future().await();
    assertEquals(640L, c.incr(k, 0).await());
    assertTrue(sent.size() < 640 / 8, "640 calls took " + sent.size() + " messages");
  }

  private static void loop(CachexService c, String k, int[] counts, Promise<Void> done) {
    if (counts[0] == 640) {
      return;
    }
    counts[0]++;
    c.incr(k).onComplete(ar -> {
      if (++counts[1] == 640) {
        done.complete();
      }
      loop(c, k, counts, done);
    });
  }

  @Test
  void errorsAreEachCallersOwn() {
    CachexService c = coalescing();
    String s = key();
    String n = key();
    c.set(s, "text").await();
    sent.clear();
    List<Supplier<Future<?>>> calls = List.of(
        () -> c.get(s),                       // alone
        () -> c.incr(s),                      // WRONG_TYPE
        () -> c.incr(n),                      // 1
        () -> c.get(""),                      // INVALID_ARGUMENT: empty key
        () -> c.hget(s, "f"),                 // WRONG_TYPE
        () -> c.set(n + ":2", "y"),           // ok
        () -> c.get(n + ":2"));               // y
    List<Future<Object>> fs = inOneTurn(calls.size(), i -> calls.get(i).get().map(r -> (Object) r));
    assertEquals("text", fs.get(0).result());
    assertFails(CachexError.WRONG_TYPE, fs.get(1));
    assertEquals(1L, fs.get(2).result());
    assertFails(CachexError.INVALID_ARGUMENT, fs.get(3));
    ServiceException se = assertFails(CachexError.WRONG_TYPE, fs.get(4));
    assertTrue(se.getMessage().startsWith("WRONG_TYPE hget(" + s + ")"), se.getMessage());
    assertEquals(null, fs.get(5).result());
    assertEquals("y", fs.get(6).result());
    assertEquals(List.of("get", "batch[incr, incr, get, hget, set, get]"), sent);
  }

  @Test
  void aCallThatIsNotCoalescedGoesAloneAfterTheCallsMadeBeforeIt() {
    CachexService c = coalescing();
    String list = key();
    String lock = key();
    List<Future<Object>> fs = inOneTurn(13, i -> {
      if (i == 10) {
        // may wait for other clients: alone, never in a batch; the 9 pushes held before it leave first
        return c.acquireLock(lock, new LockOptions().setTimeout(30)).map(l -> (Object) l);
      }
      if (i == 11) {
        return c.keys(list).map(l -> (Object) l); // several round trips: alone
      }
      if (i == 12) {
        return c.lrange(list, 0, -1).map(l -> (Object) l);
      }
      return c.rpush(list, i).map(l -> (Object) l);
    });
    assertNotNull(assertInstanceOf(LockLease.class, fs.get(10).result()));
    assertEquals(List.of(list), fs.get(11).result());
    assertEquals(new JsonArray(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)), fs.get(12).result());
    assertEquals(List.of("rpush", "batch[rpush, rpush, rpush, rpush, rpush, rpush, rpush, rpush, rpush]", "acquireLock", "keys",
        "lrange"), sent);
    for (String name : List.of("get", "set", "incr", "getMany", "evalScript", "releaseLock")) {
      assertTrue(CoalescingCachexService.coalescable(Actions.cachex().require(name)), name);
    }
    for (String name : List.of("acquireLock", "acquireSemaphore", "getOrLease", "blpop", "keys", "scan", "clear", "pipeline",
        "batch", "registerScript")) {
      assertTrue(!CoalescingCachexService.coalescable(Actions.cachex().require(name)), name);
    }
  }

  /**
   * Deadlines count from each call: a call held while an earlier message is out fails when its own
   * send timeout has passed since it was made, not since it was sent; a later call is not failed by it.
   * A service stand-in answers "a" after 2 s, "b" only once b has failed, anything else at once; the
   * send timeout is 4 s.
   */
  @Test
  void eachCallHasItsOwnDeadline() {
    String address = "co.slow." + UUID.randomUUID();
    java.util.concurrent.atomic.AtomicReference<io.vertx.core.eventbus.Message<JsonObject>> pendingB = new java.util.concurrent.atomic.AtomicReference<>();
    MessageConsumer<JsonObject> slow = fx.vertx.eventBus().consumer(address, msg -> {
      String key = msg.body().getString("key");
      if ("a".equals(key)) {
        fx.vertx.setTimer(2000, t -> msg.reply("A"));
      } else if ("b".equals(key)) {
        pendingB.set(msg);
      } else {
        msg.reply(key.toUpperCase());
      }
    });
    slow.completion().await();
    try {
      CachexService c = CoalescingCachexService.create(fx.vertx, address,
          new CoalescingCachexService.Options().setDelivery(new DeliveryOptions().setSendTimeout(4000)));
      long t0 = System.nanoTime();
      Future<Object> a = c.get("a");                          // out at once, answered at 2 s
      sleep(500);
      Future<Object> b = c.get("b");                          // held until 2 s; its deadline 4.5 s
      long[] bFailedAt = {0};
      b.onFailure(e -> {
        bFailedAt[0] = System.nanoTime() - t0;
        // answered late, once its caller has given up
        fx.vertx.runOnContext(v -> pendingB.get().reply("B"));
      });
      assertEquals("A", a.await());                           // b left alone then
      sleep(300);
      Future<Object> later = c.get("c");                      // held behind b's message; deadline 6.3 s
      Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, b::await);
      ReplyException re = assertInstanceOf(ReplyException.class, e);
      assertEquals(ReplyFailure.TIMEOUT, re.failureType());
      long ms = bFailedAt[0] / 1_000_000;
      // its own deadline, 4 s after it was made; counted from its send (at 2 s) it would have been 6 s
      assertTrue(ms >= 4400 && ms < 5500, "b failed after " + ms + " ms");
      // the late answer to b fails nothing else: the call held behind it goes and gets its own result
      assertEquals("C", later.await());
    } finally {
      slow.unregister().await();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aBatchRunsEachOperationAsItWouldRunAlone() {
    String k = key();
    String s = key();
    fx.redis(Command.SET, fx.stored(s, 1), "\"text\"");
    JsonArray ops = new JsonArray()
        .add(op("set", new JsonObject().put("key", k).put("value", new JsonArray().add("x"))))
        .add(op("incr", new JsonObject().put("key", s)))
        .add(op("get", new JsonObject().put("key", k)))
        .add(op("blpop", new JsonObject().put("keys", new JsonArray().add(k))))
        .add(op("nope", new JsonObject()));
    JsonArray slots = cache.batch(ops).await();
    assertEquals(5, slots.size());
    assertEquals(new JsonObject().putNull("ok"), slots.getJsonObject(0));
    assertEquals("WRONG_TYPE", slots.getJsonObject(1).getJsonObject("error").getString("code"));
    assertEquals("x", slots.getJsonObject(2).getValue("ok"));
    assertEquals("NOT_SUPPORTED", slots.getJsonObject(3).getJsonObject("error").getString("code"));
    assertEquals("INVALID_ARGUMENT", slots.getJsonObject(4).getJsonObject("error").getString("code"));
    // the default expiry, as a single set gets it (a pipeline's set would get none)
    long pttl = fx.redis(Command.PTTL, fx.stored(k, 1)).toLong();
    assertTrue(pttl > 0, "pttl " + pttl);
  }

  @Test
  void theBridgePolicyAppliesToEachOperationOfABatch() {
    BridgePolicy policy = new BridgePolicy(new JsonObject());
    JsonObject frame = new JsonObject().put("type", "send").put("address", fx.address)
        .put("headers", new JsonObject().put("action", "batch"))
        .put("body", new JsonObject().put("operations", new JsonArray()
            .add(op("get", new JsonObject().put("key", "a")))
            .add(op("clear", new JsonObject()))));
    policy.apply(frame);
    JsonObject headers = frame.getJsonObject("headers");
    String refused = headers.getString(BridgePolicy.REFUSED_HEADER);
    assertNotNull(refused, headers.encode());
    assertTrue(refused.contains("clear") && refused.contains("operation #1 of batch"), refused);
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(5000);
    headers.forEach(h -> o.addHeader(h.getKey(), String.valueOf(h.getValue())));
    Future<Object> reply = fx.vertx.eventBus().request(fx.address, frame.getJsonObject("body"), o).map(m -> m.body());
    assertFails(CachexError.FORBIDDEN, reply);

    JsonObject allowed = new JsonObject().put("type", "send").put("address", fx.address)
        .put("headers", new JsonObject().put("action", "batch"))
        .put("body", new JsonObject().put("operations", new JsonArray().add(op("get", new JsonObject().put("key", "a")))));
    policy.apply(allowed);
    assertEquals(null, allowed.getJsonObject("headers").getString(BridgePolicy.REFUSED_HEADER));
  }

  static JsonObject op(String action, JsonObject args) {
    return new JsonObject().put("action", action).put("args", args);
  }

  @Test
  void resultsArriveOnTheCallersContext() {
    CachexService c = coalescing();
    String k = key();
    io.vertx.core.Context ctx = fx.vertx.getOrCreateContext();
    List<Boolean> onContext = Collections.synchronizedList(new ArrayList<>());
    Promise<Void> all = Promise.promise();
    ctx.runOnContext(v -> {
      List<Future<Long>> fs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        fs.add(c.incr(k).andThen(ar -> onContext.add(io.vertx.core.Vertx.currentContext() == ctx)));
      }
      Future.join(new ArrayList<>(fs)).onComplete(ar -> all.complete());
    });
    all.future().await();
    assertEquals(20, onContext.size());
    assertTrue(onContext.stream().allMatch(b -> b), onContext.toString());
  }
}
