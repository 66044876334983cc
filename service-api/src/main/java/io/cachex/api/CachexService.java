package io.cachex.api;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The cache service on the event bus: Django-style cache methods, expiry and key operations, the
 * Redis data structures, scripts, lock leases, semaphores, compute-once leases and pipelines, against
 * Valkey/Redis. One interface
 * composed of one facet per concern; each method is an event-bus action of the same name.
 */
@ProxyGen
@VertxGen
public interface CachexService extends CoreCommands, KeyCommands, HashCommands, ListCommands, SetCommands, SortedSetCommands, PipelineCommands, ScriptCommands, LockCommands,
    SemaphoreCommands, ComputeCommands, AdminCommands {

  /** The address a service registers on unless configured otherwise. */
  String DEFAULT_ADDRESS = "cachex";

  /** A proxy that sends to {@code address} (local or clustered bus). */
  static CachexService createProxy(Vertx vertx, String address) {
    return new CachexServiceVertxEBProxy(vertx, address);
  }

  /** A proxy with delivery options, e.g. a send timeout shorter than the 30 s default. */
  static CachexService createProxyWithOptions(Vertx vertx, String address, DeliveryOptions options) {
    return new CachexServiceVertxEBProxy(vertx, address, options);
  }

  /**
   * A proxy whose calls made concurrently share event-bus messages and Redis round trips
   * ({@link CoalescingCachexService}); a lone call leaves at once, as with {@link #createProxy}.
   */
  static CachexService createCoalescingProxy(Vertx vertx, String address) {
    return CoalescingCachexService.create(vertx, address);
  }

  /** A coalescing proxy with delivery options (headers, and the send timeout that is each call's deadline). */
  static CachexService createCoalescingProxyWithOptions(Vertx vertx, String address, DeliveryOptions options) {
    return CoalescingCachexService.create(vertx, address, new CoalescingCachexService.Options().setDelivery(options));
  }
}
