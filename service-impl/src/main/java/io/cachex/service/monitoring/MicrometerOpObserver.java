package io.cachex.service.monitoring;

import io.cachex.api.Action;
import io.cachex.api.CachexError;
import io.cachex.api.contract.ActionSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of the service (exposed for Prometheus by the monitoring endpoint):
 * {@code cachex_operations_seconds{op,outcome}} (count and latency per operation, outcome "ok" or
 * the error code), {@code cachex_cache_requests_total{result=hit|miss}} for the reads whose traits
 * say they are lookups ({@link Action#lookup()}), {@code cachex_errors_total{code}} (requests
 * refused before they reached an action included) and {@code cachex_lock_wait_seconds{acquired}}.
 * Meters are cached per tag set so the hot path does no registry look-up.
 */
public final class MicrometerOpObserver implements OpObserver {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> errors = new ConcurrentHashMap<>();
  private final Counter hits;
  private final Counter misses;
  private final Timer lockAcquired;
  private final Timer lockGaveUp;

  /** An observer on the registry of the Vert.x metrics backend, or {@link OpObserver#NONE} when there is none. */
  public static OpObserver ofDefaultRegistry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry == null ? OpObserver.NONE : new MicrometerOpObserver(registry);
  }

  public MicrometerOpObserver(MeterRegistry registry) {
    this.registry = registry;
    this.hits = Counter.builder("cachex.cache.requests").tag("result", "hit").description("cache reads that found a value").register(registry);
    this.misses = Counter.builder("cachex.cache.requests").tag("result", "miss").description("cache reads that found nothing").register(registry);
    this.lockAcquired = Timer.builder("cachex.lock.wait").tag("acquired", "true").register(registry);
    this.lockGaveUp = Timer.builder("cachex.lock.wait").tag("acquired", "false").register(registry);
  }

  @Override
  public void completed(ActionSpec action, Object[] args, long nanos, CachexError error, Object result) {
    String op = action.name();
    String outcome = error == null ? "ok" : error.name();
    timers.computeIfAbsent(op + '\u0000' + outcome, k -> Timer.builder("cachex.operations")
        .description("cachex operations by action and outcome")
        .tag("op", op).tag("outcome", outcome)
        .publishPercentileHistogram(false)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    if (error != null) {
      countError(error);
      return;
    }
    switch (action.traits().lookup()) {
      case VALUE:
        (result == null ? misses : hits).increment();
        break;
      case MANY:
        int asked = args == null || !(args[action.params().indexOf(action.param("keys"))] instanceof List)
            ? 0 : ((List<?>) args[action.params().indexOf(action.param("keys"))]).size();
        int found = result instanceof JsonObject ? ((JsonObject) result).size() : 0;
        hits.increment(found);
        misses.increment(Math.max(0, asked - found));
        break;
      default:
        break;
    }
  }

  @Override
  public void rejected(String action, CachexError error) {
    countError(error == null ? CachexError.INTERNAL : error);
  }

  private void countError(CachexError error) {
    errors.computeIfAbsent(error.name(), c -> Counter.builder("cachex.errors").tag("code", c).register(registry)).increment();
  }

  @Override
  public void lockWait(long nanos, boolean acquired) {
    (acquired ? lockAcquired : lockGaveUp).record(nanos, TimeUnit.NANOSECONDS);
  }
}
