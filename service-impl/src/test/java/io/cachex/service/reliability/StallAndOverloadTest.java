package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.api.Pipeline;
import io.cachex.api.PipelineOptions;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.SharedRedis;
import io.cachex.service.support.StallingProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server that stops answering, and more requests than the service accepts at once. */
@ExtendWith(VertxExtension.class)
class StallAndOverloadTest {

  static JsonObject through(String uri, JsonObject redis) {
    return new JsonObject().put("redis", redis.put("endpoints", new JsonArray().add(uri)));
  }

  @Test
  void stalledServerFailsRequestsWithTimeoutOnTimeAndTrafficResumes(Vertx vertx) throws Exception {
    try (StallingProxy proxy = new StallingProxy("127.0.0.1", SharedRedis.get().port())) {
      CachexFixture fx = CachexFixture.deploy(vertx, through(proxy.uri(), new JsonObject().put("commandTimeoutMs", 500)));
      try {
        CachexService cache = fx.cache;
        cache.set("stall", "before").await();
        int connectionsBefore = proxy.connectionsAccepted();
        proxy.stall();
        long start = System.nanoTime();
        List<Future<Object>> inFlight = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          inFlight.add(cache.get("stall"));
        }
        Future.join(inFlight).otherwiseEmpty().await(); // wait for all, failed or not
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        for (Future<Object> f : inFlight) {
          assertEquals(CachexError.TIMEOUT, CachexError.of(f.cause()), String.valueOf(f.cause()));
        }
        assertTrue(elapsedMs >= 450 && elapsedMs < 3_000, "all 200 timed out after " + elapsedMs + " ms (commandTimeout 500)");
        proxy.resume();
        assertEquals("before", cache.get("stall").await(), "traffic resumes after the stall");
        assertTrue(proxy.connectionsAccepted() > connectionsBefore, "the stalled connection was replaced");
      } finally {
        fx.undeploy();
      }
    }
  }

  /**
   * Transactions and blocking pops run on dedicated connections: a stall fails them on their own bound
   * (the command timeout; a pop's timeout plus the command timeout), not when the stall ends, and a
   * connection that timed out is dropped, so no later borrower reads its late replies.
   */
  @Test
  void dedicatedConnectionsTimeOutOnTheirBoundAndAreNotReused(Vertx vertx) throws Exception {
    try (StallingProxy proxy = new StallingProxy("127.0.0.1", SharedRedis.get().port())) {
      CachexFixture fx = CachexFixture.deploy(vertx, through(proxy.uri(), new JsonObject().put("commandTimeoutMs", 500)));
      try {
        CachexService cache = fx.cache;
        cache.delete("dq").await();
        proxy.stall();
        long start = System.nanoTime();
        Pipeline tx = cache.pipeline();
        tx.ops().incr("dtx");
        Future<JsonArray> transaction = tx.execute(PipelineOptions.transaction());
        Future<JsonArray> pop = cache.blpop(List.of("dq"), 1.0);
        Future.join(transaction, pop).otherwiseEmpty().await();
        assertEquals(CachexError.TIMEOUT, CachexError.of(transaction.cause()), String.valueOf(transaction.cause()));
        assertEquals(CachexError.TIMEOUT, CachexError.of(pop.cause()), String.valueOf(pop.cause()));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 1_450 && elapsedMs < 4_000, "the pop's bound is 1 s + 500 ms, both done after " + elapsedMs + " ms");
        proxy.resume();
        System.out.println("dedicated-connection figures: a transaction and a 1 s blpop in a stall failed with TIMEOUT, both within "
            + elapsedMs + " ms");
        // fresh connections answer their own commands, never the late replies of the timed-out ones
        cache.rpush("dq", "a").await();
        assertEquals(new JsonArray().add("dq").add("a"), cache.blpop(List.of("dq"), 1.0).await());
        Pipeline again = cache.pipeline();
        Future<Long> n = again.ops().incr("dtx", 10);
        again.execute(PipelineOptions.transaction()).await();
        long value = n.result();
        assertTrue(value == 10 || value == 11, "its own reply (11 when the timed-out transaction was applied after the stall): " + value);
        assertEquals(value, ((Number) cache.get("dtx").await()).longValue());
      } finally {
        fx.undeploy();
      }
    }
  }

  @Test
  void tenThousandConcurrentRequestsCompleteWithoutPoolErrors(Vertx vertx) {
    CachexFixture fx = CachexFixture.deploy(vertx);
    try {
      List<Future<Long>> all = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        all.add(fx.cache.incr("burst"));
      }
      Future.join(all).otherwiseEmpty().await(); // wait for all, failed or not
      long failed = all.stream().filter(Future::failed).count();
      assertEquals(0, failed, () -> "first failure: " + all.stream().filter(Future::failed).findFirst().get().cause());
      assertEquals(10_000L, fx.cache.get("burst").await());
    } finally {
      fx.undeploy();
    }
  }

  @Test
  void beyondMaxInFlightRequestsFailFastWithOverloaded(Vertx vertx) throws Exception {
    try (StallingProxy proxy = new StallingProxy("127.0.0.1", SharedRedis.get().port())) {
      CachexFixture fx = CachexFixture.deploy(vertx, through(proxy.uri(), new JsonObject().put("maxInFlight", 1000).put("commandTimeoutMs", 2000)));
      try {
        fx.cache.set("ovl", 1).await();
        proxy.stall(); // replies stop, so requests pile up
        List<Future<Object>> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
          all.add(fx.cache.get("ovl"));
        }
        Future.join(all).otherwiseEmpty().await(); // wait for all, failed or not
        Map<String, AtomicInteger> outcomes = new TreeMap<>();
        for (Future<Object> f : all) {
          CachexError code = f.failed() ? CachexError.of(f.cause()) : null;
          outcomes.computeIfAbsent(code == null ? (f.failed() ? "other:" + f.cause() : "ok") : code.name(), k -> new AtomicInteger()).incrementAndGet();
        }
        assertEquals(9_000, outcomes.getOrDefault("OVERLOADED", new AtomicInteger()).get(), outcomes.toString());
        assertEquals(1_000, outcomes.getOrDefault("TIMEOUT", new AtomicInteger()).get(), outcomes.toString());
        proxy.resume();
        assertEquals(1L, fx.cache.get("ovl").await());
      } finally {
        fx.undeploy();
      }
    }
  }
}
