package io.cachex.service.monitoring;

import io.cachex.api.near.NearCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;

/**
 * Micrometer meters of one {@link NearCache}, tagged {@code cache=<name>} and named as Micrometer's cache binders
 * name theirs: {@code cache.gets{result=hit|miss}}, {@code cache.evictions}, {@code cache.size}; and its own:
 * {@code cachex.near.invalidations} (keys received), {@code cachex.near.not.kept} (replies that raced an
 * invalidation or a flush), {@code cachex.near.flushes{cause}}. Read from {@link NearCache#stats()} when scraped.
 * Needs micrometer-core on the class path (an optional dependency of service-impl).
 */
public final class NearCacheMeters {
  /** The causes {@link NearCache} counts flushes under. */
  public static final List<String> FLUSH_CAUSES = List.of("service", "epoch", "heartbeat", "write", "closed");

  private NearCacheMeters() {
  }

  /** Registers the meters of {@code near} as cache {@code name} (e.g. {@code "cachex.near"}). */
  public static void bind(NearCache near, String name, MeterRegistry registry) {
    FunctionCounter.builder("cache.gets", near, n -> n.stats().getLong("hits")).tag("cache", name).tag("result", "hit")
        .description("Reads answered from the near cache's memory").register(registry);
    FunctionCounter.builder("cache.gets", near, n -> n.stats().getLong("misses")).tag("cache", name).tag("result", "miss")
        .description("Near-cacheable reads that went to the service").register(registry);
    FunctionCounter.builder("cache.evictions", near, n -> n.stats().getLong("evictions")).tag("cache", name)
        .description("Keys evicted by the near cache's size bound").register(registry);
    Gauge.builder("cache.size", near, n -> n.stats().getLong("entries")).tag("cache", name)
        .description("Keys held by the near cache").register(registry);
    FunctionCounter.builder("cachex.near.invalidations", near, n -> n.stats().getLong("invalidations")).tag("cache", name)
        .description("Invalidated keys received from the service").register(registry);
    FunctionCounter.builder("cachex.near.not.kept", near, n -> n.stats().getLong("notKept")).tag("cache", name)
        .description("Replies not kept because their key was invalidated (or the cache flushed) while they were on their way")
        .register(registry);
    for (String cause : FLUSH_CAUSES) {
      FunctionCounter.builder("cachex.near.flushes", near, n -> n.stats().getJsonObject("flushes").getLong(cause, 0L))
          .tag("cache", name).tag("cause", cause).description("Times the near cache dropped everything, by cause").register(registry);
    }
  }
}
