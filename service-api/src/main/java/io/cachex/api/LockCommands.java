package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import static io.cachex.api.Action.Access.READ;
import static io.cachex.api.Action.Access.WRITE;

/**
 * Lock leases (docs/SEMANTICS.md "Locks"). The lock key is the value key of {@code name}
 * ({@code hasKey(name)} is true while held). Ownership is the lease's token; release and extend are
 * compare-and-act on it, and a lease that no longer owns the lock fails with LOCK_NOT_OWNED.
 * Java helpers: {@link LockKeeper} (renewal) and {@link Locks#withLock}.
 */
@VertxGen(concrete = false)
public interface LockCommands {

  /**
   * Acquires the lock. Replies with the lease, or null when it was not acquired: at once for a
   * non-blocking acquire on a held lock, else after {@code blockingTimeout}. Waiters are woken by
   * the release (one pub/sub subscription per service instance) and poll every {@code sleep}.
   * Callers' send timeout must exceed the wait. Inside a pipeline or transaction only a non-blocking
   * acquire ({@code blocking: false}) is allowed.
   */
  @Action(access = WRITE, waits = true)
  Future<@Nullable LockLease> acquireLock(String name, @Nullable LockOptions options, @Nullable Integer version);

  /** Releases the lock if the lease still owns it, else LOCK_NOT_OWNED. */
  @Action(access = WRITE)
  Future<Void> releaseLock(LockLease lease);

  /**
   * Extends an owned lease: by {@code additionalMs} on top of the remaining time, or with
   * {@code replace} true to exactly {@code additionalMs} from now. Replies with the lease carrying
   * the new {@code expiresAt}/{@code leaseMs}; LOCK_NOT_OWNED if the lease lost the lock.
   */
  @Action(access = WRITE)
  Future<LockLease> extendLock(LockLease lease, Long additionalMs, @Nullable Boolean replace);

  /**
   * {@code {"held": bool, "ownedByLease": bool|null, "ttlMs": long|null}}: ownedByLease is null
   * without a lease; ttlMs is null when not held (or held without expiry).
   */
  @Action(access = READ, unavailable = "{\"held\": false, \"ownedByLease\": null, \"ttlMs\": null}")
  Future<JsonObject> lockStatus(String name, @Nullable LockLease lease, @Nullable Integer version);

  // ---- Java conveniences ----

  @GenIgnore
  default Future<@Nullable LockLease> acquireLock(String name) {
    return acquireLock(name, null, null);
  }

  @GenIgnore
  default Future<@Nullable LockLease> acquireLock(String name, LockOptions options) {
    return acquireLock(name, options, null);
  }

  @GenIgnore
  default Future<LockLease> extendLock(LockLease lease, long additionalMs) {
    return extendLock(lease, additionalMs, null);
  }
}
