package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;

import java.util.function.Supplier;

import static io.cachex.api.Action.Access.WRITE;

/**
 * Compute once, cluster-wide (docs/SEMANTICS.md "Compute once"): leases in the manner of memcached's.
 * On a miss {@code getOrLease} grants one caller the lease to compute the value; every other caller,
 * on any node, waits for that value (woken when it is stored) or gets {@code busy}. The holder stores
 * the value with {@code setLeased}, or gives the lease up with {@code releaseLease} (the next waiter
 * then gets it); a holder that dies stops extending its lease, which runs out and passes on. Java
 * callers use {@link #getOrCompute}, which does all of this around a loader.
 */
@VertxGen(concrete = false)
public interface ComputeCommands {

  /**
   * The value of {@code key}; when it is missing, the lease to compute it, or, while another caller
   * holds that lease, its value once stored (blocking, the default) or {@code busy}. With stampede
   * protection on, a value near its expiry is refreshed by one caller only: it gets the lease (and the
   * value as {@code stale}), everyone else keeps getting the value. Inside a pipeline or transaction
   * only a non-blocking call ({@code blocking: false}) is allowed.
   */
  @Action(access = WRITE, waits = true)
  Future<LeaseResult> getOrLease(String key, @Nullable LeaseOptions options, @Nullable Integer version, @Nullable Stampede stampede);

  /**
   * Stores the computed value if the lease still holds, ends the lease and wakes the waiters. Replies
   * true when stored; false when the key was changed or deleted by someone else since the lease was
   * granted (their write is kept). LOCK_NOT_OWNED when the lease ran out or was given up.
   */
  @Action(access = WRITE)
  Future<Boolean> setLeased(ComputeLease lease, @Nullable ExpiryOptions options, @Nullable Stampede stampede, JsonArray value);

  /** Gives the lease up (the computation failed): the next waiter gets it at once. LOCK_NOT_OWNED if it is not held. */
  @Action(access = WRITE)
  Future<Void> releaseLease(ComputeLease lease);

  /**
   * Extends a held lease: by {@code additionalMs} on top of the remaining time, or with {@code replace}
   * to exactly {@code additionalMs} from now. LOCK_NOT_OWNED if it is not held.
   */
  @Action(access = WRITE)
  Future<ComputeLease> extendLease(ComputeLease lease, Long additionalMs, @Nullable Boolean replace);

  // ---- Java conveniences ----

  @GenIgnore
  default Future<LeaseResult> getOrLease(String key) {
    return getOrLease(key, null, null, null);
  }

  @GenIgnore
  default Future<LeaseResult> getOrLease(String key, LeaseOptions options) {
    return getOrLease(key, options, null, null);
  }

  @GenIgnore
  default Future<Boolean> setLeased(ComputeLease lease, Object value, ExpiryOptions options) {
    return setLeased(lease, options, null, JsonValues.box(value));
  }

  /**
   * The value of {@code key}, computed by {@code loader} by exactly one caller in the cluster when it is
   * missing; see {@link ComputeOnce#getOrCompute}. {@code vertx} runs the lease renewals.
   */
  @GenIgnore
  default Future<@Nullable Object> getOrCompute(Vertx vertx, String key, Supplier<Future<?>> loader) {
    return ComputeOnce.getOrCompute(vertx, this, key, new ComputeOptions(), loader);
  }

  @GenIgnore
  default Future<@Nullable Object> getOrCompute(Vertx vertx, String key, ComputeOptions options, Supplier<Future<?>> loader) {
    return ComputeOnce.getOrCompute(vertx, this, key, options, loader);
  }
}
