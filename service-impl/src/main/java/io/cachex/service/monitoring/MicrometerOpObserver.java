package io.cachex.service.monitoring;

import io.cachex.api.Action;
import io.cachex.api.CachexError;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Param;
import io.cachex.api.contract.WireType;
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
 * Micrometer meters of one service (tagged {@code cache=<address>}), named as Micrometer's cache binders
 * name theirs so that stock cache dashboards read them:
 * <ul>
 *   <li>{@code cache.gets{result=hit|miss}}: the lookups ({@link Action#lookup()}), one per key asked;</li>
 *   <li>{@code cache.puts}: entries written by the actions that carry cache values (a {@code value}, or
 *       {@code entries}), counted when written ({@code add} of an existing key writes nothing);</li>
 *   <li>{@code cachex.operations{op,outcome}}: count and latency per action, outcome "ok" or the error code;</li>
 *   <li>{@code cachex.errors{code}}: failed requests, those refused before they named an action included;</li>
 *   <li>{@code cachex.lock.wait{acquired}}: time lock acquisitions waited.</li>
 * </ul>
 * There is no {@code cache.evictions}: Valkey/Redis evicts by its own maxmemory policy, which the service
 * does not see (its {@code evicted_keys} statistic is the server's). Meters are cached per tag set so the hot
 * path does no registry look-up.
 */
public final class MicrometerOpObserver implements OpObserver {
  private final MeterRegistry registry;
  private final String cache;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> errors = new ConcurrentHashMap<>();
  private final Counter hits;
  private final Counter misses;
  private final Counter puts;
  private final Timer lockAcquired;
  private final Timer lockGaveUp;
  private final Timer semaphoreAcquired;
  private final Timer semaphoreGaveUp;
  private final ConcurrentMap<String, Timer> computeWaits = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> leasesLost = new ConcurrentHashMap<>();
  private final Counter earlyExpiries;

  /** An observer on the registry of the Vert.x metrics backend, or {@link OpObserver#NONE} when there is none. */
  public static OpObserver ofDefaultRegistry(String cache) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry == null ? OpObserver.NONE : new MicrometerOpObserver(registry, cache);
  }

  public MicrometerOpObserver(MeterRegistry registry, String cache) {
    this.registry = registry;
    this.cache = cache;
    this.hits = Counter.builder("cache.gets").tag("cache", cache).tag("result", "hit")
        .description("The number of times cache lookup methods have returned a cached value.").register(registry);
    this.misses = Counter.builder("cache.gets").tag("cache", cache).tag("result", "miss")
        .description("The number of times cache lookup methods have not returned a value.").register(registry);
    this.puts = Counter.builder("cache.puts").tag("cache", cache)
        .description("The number of entries added to the cache").register(registry);
    this.lockAcquired = Timer.builder("cachex.lock.wait").tag("cache", cache).tag("acquired", "true").register(registry);
    this.lockGaveUp = Timer.builder("cachex.lock.wait").tag("cache", cache).tag("acquired", "false").register(registry);
    this.semaphoreAcquired = Timer.builder("cachex.semaphore.wait").tag("cache", cache).tag("acquired", "true").register(registry);
    this.semaphoreGaveUp = Timer.builder("cachex.semaphore.wait").tag("cache", cache).tag("acquired", "false").register(registry);
    this.earlyExpiries = Counter.builder("cachex.stampede.early.expiries").tag("cache", cache)
        .description("reads that reported a value near its expiry as a miss").register(registry);
  }

  @Override
  public void completed(ActionSpec action, Object[] args, long nanos, CachexError error, Object result) {
    String op = action.name();
    String outcome = error == null ? "ok" : error.name();
    timers.computeIfAbsent(op + '\u0000' + outcome, k -> Timer.builder("cachex.operations")
        .description("cachex operations by action and outcome")
        .tag("cache", cache).tag("op", op).tag("outcome", outcome)
        .publishPercentileHistogram(false)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    if (error != null) {
      countError(error);
      return;
    }
    countLookups(action, args, result);
    if (!action.reads()) {
      countPuts(action, args, result);
    }
  }

  private void countLookups(ActionSpec action, Object[] args, Object result) {
    switch (action.traits().lookup()) {
      case VALUE:
        (result == null ? misses : hits).increment();
        break;
      case MANY:
        Object keys = argument(action, args, "keys");
        int asked = keys instanceof List ? ((List<?>) keys).size() : 0;
        int found = result instanceof JsonObject ? ((JsonObject) result).size() : 0;
        hits.increment(found);
        misses.increment(Math.max(0, asked - found));
        break;
      default:
        break;
    }
  }

  /** One entry per boxed {@code value} written, one per {@code entries} field (less the keys reported not set). */
  private void countPuts(ActionSpec action, Object[] args, Object result) {
    if (Boolean.FALSE.equals(result)) {
      return; // add/setnx-style: nothing was written
    }
    Param value = action.param("value");
    if (value != null && value.type() == WireType.BOX) {
      puts.increment();
      return;
    }
    Object entries = argument(action, args, "entries");
    if (entries instanceof JsonObject) {
      int notSet = result instanceof List ? ((List<?>) result).size() : 0;
      puts.increment(Math.max(0, ((JsonObject) entries).size() - notSet));
    }
  }

  private static Object argument(ActionSpec action, Object[] args, String name) {
    Param p = action.param(name);
    int i = p == null ? -1 : action.params().indexOf(p);
    return args == null || i < 0 || i >= args.length ? null : args[i];
  }

  @Override
  public void rejected(String action, CachexError error) {
    countError(error == null ? CachexError.INTERNAL : error);
  }

  private void countError(CachexError error) {
    errors.computeIfAbsent(error.name(), c -> Counter.builder("cachex.errors").tag("cache", cache).tag("code", c).register(registry))
        .increment();
  }

  @Override
  public void lockWait(long nanos, boolean acquired) {
    (acquired ? lockAcquired : lockGaveUp).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void semaphoreWait(long nanos, boolean acquired) {
    (acquired ? semaphoreAcquired : semaphoreGaveUp).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void computeWait(long nanos, String outcome) {
    computeWaits.computeIfAbsent(outcome, o -> Timer.builder("cachex.compute.wait").tag("cache", cache).tag("outcome", o).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void leaseLost(String kind) {
    leasesLost.computeIfAbsent(kind, k -> Counter.builder("cachex.lease.lost").tag("cache", cache).tag("kind", k).register(registry)).increment();
  }

  @Override
  public void earlyExpiry() {
    earlyExpiries.increment();
  }
}
