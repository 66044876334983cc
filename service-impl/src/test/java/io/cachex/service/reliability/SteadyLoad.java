package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A steady stream of set/get from many concurrent loops on one caller context, counting every
 * request: issued, completed, outcome by code, latency. Each loop writes fresh keys
 * ({@code L<loop>:<n>}) and reads each back, so acknowledged writes can be checked afterwards.
 */
final class SteadyLoad {
  final long startNs = System.nanoTime();
  final AtomicLong issued = new AtomicLong();
  final AtomicLong completed = new AtomicLong();
  final AtomicLong inFlight = new AtomicLong();
  final AtomicLong maxInFlight = new AtomicLong();
  final AtomicLong maxLatencyMs = new AtomicLong();
  final AtomicLong overBound = new AtomicLong();
  /** Outcome ("ok", a CachexError name, or "other:...") → count. */
  final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
  /** The first failure message of each failing outcome, so a surprise explains itself. */
  final Map<String, String> firstMessages = new ConcurrentHashMap<>();
  /** Writes acknowledged by the service: key → value, with the nanoTime their request was issued. */
  final Map<String, long[]> acked = new ConcurrentHashMap<>();
  /** nanoTime of the end of the latest failure and the start of the first success after {@link #mark}. */
  final AtomicLong lastFailureEndNs = new AtomicLong();
  final AtomicLong firstOkAfterMarkNs = new AtomicLong();
  private volatile long markNs = Long.MAX_VALUE;
  private volatile boolean stopped;
  private final CachexService cache;
  private final long latencyBoundMs;
  private final String tag;

  private SteadyLoad(CachexService cache, long latencyBoundMs, String tag) {
    this.cache = cache;
    this.latencyBoundMs = latencyBoundMs;
    this.tag = tag;
  }

  /** Starts {@code loops} concurrent request loops on one context of {@code vertx}. */
  static SteadyLoad start(Vertx vertx, CachexService cache, int loops, long latencyBoundMs, String tag) {
    SteadyLoad load = new SteadyLoad(cache, latencyBoundMs, tag);
    Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> {
      for (int i = 0; i < loops; i++) {
        load.next(i, 0);
      }
    });
    return load;
  }

  /** From now on, remember the first success ({@link #firstOkAfterMarkNs}). */
  void mark() {
    firstOkAfterMarkNs.set(0);
    markNs = System.nanoTime();
  }

  private void next(int loop, long n) {
    if (stopped) {
      return;
    }
    String key = tag + "L" + loop + ":" + n;
    boolean write = true;
    long begin = System.nanoTime();
    issued.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    Future<?> f = cache.set(key, n).compose(v -> {
      acked.put(key, new long[] {n, begin});
      record(begin, null);
      // the read is a second counted request
      long readBegin = System.nanoTime();
      issued.incrementAndGet();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return cache.get(key).andThen(ar -> {
        if (ar.succeeded() && ar.result() == null) {
          // written to a server that was killed before it could persist anything: allowed once per loop
          outcomes.computeIfAbsent("missing", k -> new AtomicLong()).incrementAndGet();
        } else if (ar.succeeded() && !Long.valueOf(n).equals(ar.result())) {
          outcomes.computeIfAbsent("wrong-value", k -> new AtomicLong()).incrementAndGet();
        }
        record(readBegin, ar.failed() ? ar.cause() : null);
      });
    }, err -> {
      record(begin, err);
      return Future.failedFuture(err);
    });
    f.onComplete(ar -> next(loop, n + 1));
  }

  private void record(long begin, Throwable failure) {
    long end = System.nanoTime();
    inFlight.decrementAndGet();
    completed.incrementAndGet();
    long ms = (end - begin) / 1_000_000;
    maxLatencyMs.accumulateAndGet(ms, Math::max);
    if (ms > latencyBoundMs) {
      overBound.incrementAndGet();
    }
    String outcome;
    if (failure == null) {
      outcome = "ok";
      if (begin > markNs) {
        firstOkAfterMarkNs.compareAndSet(0, begin);
      }
    } else {
      CachexError code = CachexError.of(failure);
      if (code != null) {
        outcome = code.name();
      } else if (failure instanceof ReplyException && ((ReplyException) failure).failureType() != ReplyFailure.RECIPIENT_FAILURE) {
        outcome = "bus:" + ((ReplyException) failure).failureType(); // NO_HANDLERS, TIMEOUT: the event bus, not the service
      } else {
        outcome = "other:" + failure;
      }
      lastFailureEndNs.accumulateAndGet(end, Math::max);
      firstMessages.putIfAbsent(outcome, String.valueOf(failure.getMessage()));
    }
    outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
  }

  /** Stops issuing and waits (bounded) until every issued request has completed. */
  void stopAndDrain(long maxWaitMs) throws InterruptedException {
    stopped = true;
    long deadline = System.currentTimeMillis() + maxWaitMs;
    while (completed.get() < issued.get() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }

  Map<String, Long> outcomeCounts() {
    Map<String, Long> m = new TreeMap<>();
    outcomes.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** Every request completed, within the bound, and failed only with UNAVAILABLE or TIMEOUT. */
  void assertNoneHungAndOnlyUnavailableOrTimeout() {
    Map<String, Long> counts = outcomeCounts();
    assertEquals(issued.get(), completed.get(), "every issued request completed: " + this);
    for (String outcome : counts.keySet()) {
      assertTrue(outcome.equals("ok") || outcome.equals("UNAVAILABLE") || outcome.equals("TIMEOUT") || outcome.equals("missing"),
          "unexpected outcome " + outcome + " in " + this);
    }
    assertEquals(0, overBound.get(), "requests slower than " + latencyBoundMs + " ms: " + this);
  }

  /** Reads that found nothing (their write went to a server that then died): at most one per loop. */
  long missing() {
    AtomicLong m = outcomes.get("missing");
    return m == null ? 0 : m.get();
  }

  /** Reads back, through the service, every write acknowledged for a request issued after {@code sinceNs}. */
  int assertAckedWritesReadable(long sinceNs) {
    List<String> keys = new ArrayList<>();
    acked.forEach((k, v) -> {
      if (v[1] > sinceNs) {
        keys.add(k);
      }
    });
    for (int i = 0; i < keys.size(); i += 1000) {
      List<String> chunk = keys.subList(i, Math.min(keys.size(), i + 1000));
      JsonObject found = cache.getMany(chunk).await();
      for (String k : chunk) {
        assertEquals(acked.get(k)[0], ((Number) found.getValue(k, -1L)).longValue(), "acknowledged write " + k);
      }
    }
    return keys.size();
  }

  static long msSince(long fromNs, long toNs) {
    return (toNs - fromNs) / 1_000_000;
  }

  @Override
  public String toString() {
    return "issued=" + issued + " completed=" + completed + " maxInFlight=" + maxInFlight + " maxLatencyMs="
        + maxLatencyMs + " overBound=" + overBound + " outcomes=" + outcomeCounts() + " firstMessages=" + firstMessages;
  }
}
