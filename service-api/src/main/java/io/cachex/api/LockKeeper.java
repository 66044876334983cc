package io.cachex.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Keeps a lease alive: every {@code leaseMs / 3} it extends the lease back to its full length
 * ({@code extendLock(lease, leaseMs, replace = true)}) until {@link #release()} or until the lease is
 * lost. Loss (LOCK_NOT_OWNED, or no successful renewal before the lease ran out) completes
 * {@link #lost()} with the cause; it never completes after a normal release. Not a guarantee: a
 * starved keeper can still lose the lease, which is why leases carry a fencing token.
 * Java only (not an event-bus action).
 */
public final class LockKeeper {
  private final Vertx vertx;
  private final LockCommands cache;
  private final long leaseMs;
  private final Promise<Throwable> lost = Promise.promise();
  private volatile LockLease lease;
  private volatile boolean stopped;
  private long timer = -1;

  private LockKeeper(Vertx vertx, LockCommands cache, LockLease lease) {
    this.vertx = vertx;
    this.cache = cache;
    this.lease = lease;
    Long ms = lease.getLeaseMs();
    this.leaseMs = ms == null || ms < 3 ? 30_000 : ms;
  }

  /** Starts renewing {@code lease}. */
  public static LockKeeper start(Vertx vertx, LockCommands cache, LockLease lease) {
    LockKeeper k = new LockKeeper(vertx, cache, lease);
    k.schedule();
    return k;
  }

  /** The latest renewed lease (fencing token unchanged). */
  public LockLease lease() {
    return lease;
  }

  /** Completes with the cause when the lease is lost while being kept. */
  public Future<Throwable> lost() {
    return lost.future();
  }

  public boolean isLost() {
    return lost.future().isComplete();
  }

  /** Stops renewing without releasing. */
  public synchronized void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Stops renewing and releases the lock. */
  public Future<Void> release() {
    stop();
    return cache.releaseLock(lease);
  }

  private synchronized void schedule() {
    if (stopped) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, leaseMs / 3), id -> renew());
  }

  private void renew() {
    if (stopped) {
      return;
    }
    LockLease current = lease;
    cache.extendLock(current, leaseMs, true).onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.succeeded()) {
        lease = ar.result();
        schedule();
      } else if (CachexError.of(ar.cause()) == CachexError.LOCK_NOT_OWNED
          || (current.getExpiresAt() != null && System.currentTimeMillis() >= current.getExpiresAt())) {
        stop();
        lost.tryComplete(ar.cause());
      } else {
        schedule(); // transient failure: try again while the lease may still be valid
      }
    });
  }
}
