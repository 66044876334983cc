package io.cachex.service.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of the service (exposed for Prometheus by the monitoring endpoint):
 * {@code cachex_operations_seconds{op,outcome}} (count and latency per operation, outcome "ok" or
 * the error code), {@code cachex_cache_requests_total{result=hit|miss}} for reads of single values
 * and of getMany, {@code cachex_errors_total{code}} and {@code cachex_lock_wait_seconds{acquired}}.
 * Meters are cached per tag set so the hot path does no registry look-up.
 */
public final class MicrometerOpObserver implements OpObserver {
  /** Reads whose null result means "not in the cache". */
  private static final Set<String> SINGLE_READS = Set.of("get", "hget", "lindex");

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> errors = new ConcurrentHashMap<>();
  private final Counter hits;
  private final Counter misses;
  private final Timer lockAcquired;
  private final Timer lockGaveUp;

  public MicrometerOpObserver(MeterRegistry registry) {
    this.registry = registry;
    this.hits = Counter.builder("cachex.cache.requests").tag("result", "hit").description("cache reads that found a value").register(registry);
    this.misses = Counter.builder("cachex.cache.requests").tag("result", "miss").description("cache reads that found nothing").register(registry);
    this.lockAcquired = Timer.builder("cachex.lock.wait").tag("acquired", "true").register(registry);
    this.lockGaveUp = Timer.builder("cachex.lock.wait").tag("acquired", "false").register(registry);
  }

  @Override
  public void completed(String op, long nanos, String errorCode, Object result) {
    String outcome = errorCode == null ? "ok" : errorCode;
    timers.computeIfAbsent(op + '\u0000' + outcome, k -> Timer.builder("cachex.operations")
        .description("cachex operations by action and outcome")
        .tag("op", op).tag("outcome", outcome)
        .publishPercentileHistogram(false)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    if (errorCode != null) {
      errors.computeIfAbsent(errorCode, c -> Counter.builder("cachex.errors").tag("code", c).register(registry)).increment();
      return;
    }
    if (SINGLE_READS.contains(op)) {
      (result == null ? misses : hits).increment();
    } else if ("getMany".equals(op) && result instanceof JsonObject) {
      hits.increment(((JsonObject) result).size());
    }
  }

  @Override
  public void lockWait(long nanos, boolean acquired) {
    (acquired ? lockAcquired : lockGaveUp).record(nanos, TimeUnit.NANOSECONDS);
  }
}
