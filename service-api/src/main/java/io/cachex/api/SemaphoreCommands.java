package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import static io.cachex.api.Action.Access.READ;
import static io.cachex.api.Action.Access.WRITE;

/**
 * Counting semaphores with weights (docs/SEMANTICS.md "Semaphores"): at most {@code capacity} units
 * held at once across every caller of the cluster, each permit a lease that expires unless extended,
 * waiters admitted first come, first served in the common case. Ownership is the permit's token;
 * release and extend of a permit that is no longer held fail with LOCK_NOT_OWNED.
 * Java helpers: {@link Semaphores#withPermit} and {@link LeaseKeeper#forSemaphore}.
 */
@VertxGen(concrete = false)
public interface SemaphoreCommands {

  /**
   * Takes {@code options.weight} units of semaphore {@code name} of {@code capacity} units. Replies with
   * the permit, or null when it was not acquired: at once for a non-blocking acquire without room, else
   * after {@code blockingTimeout}. Waiters queue in arrival order and are woken by releases. Inside a
   * pipeline or transaction only a non-blocking acquire ({@code blocking: false}) is allowed.
   */
  @Action(access = WRITE, waits = true)
  Future<@Nullable SemaphoreLease> acquireSemaphore(String name, Integer capacity, SemaphoreOptions options, @Nullable Integer version);

  /** Gives the permit's units back and wakes the waiters; LOCK_NOT_OWNED if the permit expired or was released. */
  @Action(access = WRITE)
  Future<Void> releaseSemaphore(SemaphoreLease lease);

  /**
   * Extends a held permit: by {@code additionalMs} on top of the remaining time, or with
   * {@code replace} to exactly {@code additionalMs} from now. LOCK_NOT_OWNED if it is no longer held.
   */
  @Action(access = WRITE)
  Future<SemaphoreLease> extendSemaphore(SemaphoreLease lease, Long additionalMs, @Nullable Boolean replace);

  /**
   * {@code {"used": units held, "holders": permits held, "waiting": queued acquirers, "ownedByLease":
   * bool|null, "ttlMs": long|null}}: ownedByLease is null without a lease; ttlMs is the lease's time
   * left when it is held.
   */
  @Action(access = READ, unavailable = "{\"used\": 0, \"holders\": 0, \"waiting\": 0, \"ownedByLease\": null, \"ttlMs\": null}")
  Future<JsonObject> semaphoreStatus(String name, @Nullable SemaphoreLease lease, @Nullable Integer version);

  // ---- Java conveniences ----

  @GenIgnore
  default Future<@Nullable SemaphoreLease> acquireSemaphore(String name, int capacity, SemaphoreOptions options) {
    return acquireSemaphore(name, capacity, options, null);
  }

  @GenIgnore
  default Future<SemaphoreLease> extendSemaphore(SemaphoreLease lease, long additionalMs) {
    return extendSemaphore(lease, additionalMs, null);
  }
}
