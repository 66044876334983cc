package io.cachex.api;

import io.vertx.core.Vertx;

/**
 * Keeps a lock lease alive: every {@code leaseMs / 3} it extends the lease back to its full length
 * ({@code extendLock(lease, leaseMs, replace = true)}) until {@link #release()} or until the lease is
 * lost. Loss (LOCK_NOT_OWNED, or no successful renewal before the lease ran out) completes
 * {@link #lost()} with the cause; it never completes after a normal release. Not a guarantee: a
 * starved keeper can still lose the lease, which is why leases carry a fencing token.
 * Java only (not an event-bus action).
 */
public final class LockKeeper extends LeaseKeeper<LockLease> {

  private LockKeeper(Vertx vertx, LockCommands cache, LockLease lease) {
    super(vertx, lease, (l, ms) -> cache.extendLock(l, ms, true), cache::releaseLock);
  }

  /** Starts renewing {@code lease}. */
  public static LockKeeper start(Vertx vertx, LockCommands cache, LockLease lease) {
    return new LockKeeper(vertx, cache, lease).begin();
  }
}
