package io.cachex.service.keys;

import io.cachex.api.CachexService;
import io.cachex.api.KeyStream;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KeyStream}: a ReadStream of caller keys over the proxied scan, with back-pressure. */
@Tag("contract")
@ExtendWith(VertxExtension.class)
class KeyStreamTest {
  static final int KEYS = 1_000;
  static Vertx vertx;
  static CachexFixture fx;
  static Set<String> expected = new HashSet<>();

  @BeforeAll
  static void deploy(Vertx v) {
    vertx = v;
    fx = CachexFixture.deploy(v);
    JsonObject entries = new JsonObject();
    for (int i = 0; i < KEYS; i++) {
      entries.put("s:" + i, i);
      expected.add("s:" + i);
    }
    fx.cache.setMany(entries, null, null).await();
    fx.cache.set("not-matching", 1).await();
  }

  @AfterAll
  static void undeploy() {
    fx.cache.clear().await();
    fx.undeploy();
  }

  /** The proxy, counting scan calls. */
  static CachexService counting(AtomicInteger scans) {
    return (CachexService) Proxy.newProxyInstance(CachexService.class.getClassLoader(), new Class<?>[]{CachexService.class},
        (proxy, method, args) -> {
          if (method.getName().equals("scan")) {
            scans.incrementAndGet();
          }
          try {
            return method.invoke(fx.cache, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void readsEveryKeyOnceWithPauseAndResume() {
    Context ctx = vertx.getOrCreateContext();
    Promise<List<String>> done = Promise.promise();
    List<String> received = new ArrayList<>();
    AtomicInteger pauses = new AtomicInteger();
    AtomicInteger deliveredWhilePaused = new AtomicInteger();
    ctx.runOnContext(v -> {
      KeyStream stream = KeyStream.scan(fx.cache, "s:*", 50, null);
      boolean[] paused = {false};
      stream.exceptionHandler(done::tryFail);
      stream.endHandler(end -> done.tryComplete(received));
      stream.handler(key -> {
        if (paused[0]) {
          deliveredWhilePaused.incrementAndGet();
        }
        received.add(key);
        if (received.size() % 97 == 0) {
          stream.pause();
          paused[0] = true;
          pauses.incrementAndGet();
          vertx.setTimer(2, t -> {
            paused[0] = false;
            stream.resume();
          });
        }
      });
    });
    List<String> keys = done.future().await();
    assertEquals(0, deliveredWhilePaused.get(), "no key is delivered while the stream is paused");
    assertEquals(KEYS / 97, pauses.get());
    assertEquals(KEYS, keys.size(), "every key exactly once");
    assertEquals(expected, new HashSet<>(keys));
  }

  @Test
  void asksForAPageOnlyWhenThereIsDemand() throws Exception {
    AtomicInteger scans = new AtomicInteger();
    AtomicInteger received = new AtomicInteger();
    Promise<Void> ended = Promise.promise();
    KeyStream[] stream = new KeyStream[1];
    Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> {
      stream[0] = KeyStream.scan(counting(scans), "s:*", 100, null);
      stream[0].pause();
      stream[0].endHandler(end -> ended.complete());
      stream[0].handler(k -> received.incrementAndGet());
    });
    Thread.sleep(200);
    assertEquals(0, scans.get(), "paused before the first key: nothing asked");
    assertEquals(0, received.get());

    ctx.runOnContext(v -> stream[0].fetch(1));
    waitFor(() -> received.get() == 1);
    int scansForOneKey = scans.get();
    assertTrue(scansForOneKey >= 1);
    Thread.sleep(200);
    assertEquals(1, received.get(), "exactly the demanded key");
    assertEquals(scansForOneKey, scans.get(), "no further page while there is no demand");

    ctx.runOnContext(v -> stream[0].fetch(10));
    waitFor(() -> received.get() == 11);
    Thread.sleep(100);
    assertEquals(11, received.get());

    ctx.runOnContext(v -> stream[0].resume());
    ended.future().await();
    assertEquals(KEYS, received.get());
    assertTrue(scans.get() > scansForOneKey, "the rest came in further pages");
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
