package io.cachex.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Keeps a lease alive: every {@code leaseMs / 3} it extends the lease back to its full length until
 * {@link #release()} or {@link #stop()}, or until the lease is lost. Loss (LOCK_NOT_OWNED, or no
 * successful renewal before the lease ran out) completes {@link #lost()} with the cause; it never
 * completes after a normal release. Not a guarantee: a starved keeper can still lose the lease.
 * Java only (not an event-bus action). {@link LockKeeper} is the one for locks;
 * {@link #forSemaphore} and {@link #forCompute} build the others.
 */
public class LeaseKeeper<L extends Lease> {
  private final Vertx vertx;
  private final long leaseMs;
  private final BiFunction<L, Long, Future<L>> renew;
  private final Function<L, Future<Void>> release;
  private final Promise<Throwable> lost = Promise.promise();
  private volatile L lease;
  private volatile boolean stopped;
  private long timer = -1;

  /**
   * {@code renew(lease, ms)} extends the lease to {@code ms} from now (replacing the remaining time)
   * and yields the renewed lease; {@code release(lease)} gives it up.
   */
  protected LeaseKeeper(Vertx vertx, L lease, BiFunction<L, Long, Future<L>> renew, Function<L, Future<Void>> release) {
    this.vertx = vertx;
    this.lease = lease;
    this.renew = renew;
    this.release = release;
    Long ms = lease.getLeaseMs();
    this.leaseMs = ms == null || ms < 3 ? 30_000 : ms;
  }

  /** Starts keeping {@code lease} with the given renewal and release. */
  public static <L extends Lease> LeaseKeeper<L> start(Vertx vertx, L lease, BiFunction<L, Long, Future<L>> renew,
                                                      Function<L, Future<Void>> release) {
    return new LeaseKeeper<>(vertx, lease, renew, release).begin();
  }

  /** Keeps a semaphore permit until released. */
  public static LeaseKeeper<SemaphoreLease> forSemaphore(Vertx vertx, SemaphoreCommands cache, SemaphoreLease lease) {
    return start(vertx, lease, (l, ms) -> cache.extendSemaphore(l, ms, true), cache::releaseSemaphore);
  }

  /** Keeps the right to compute a value until the value is stored or the lease released. */
  public static LeaseKeeper<ComputeLease> forCompute(Vertx vertx, ComputeCommands cache, ComputeLease lease) {
    return start(vertx, lease, (l, ms) -> cache.extendLease(l, ms, true), cache::releaseLease);
  }

  protected final <K extends LeaseKeeper<L>> K begin() {
    schedule();
    @SuppressWarnings("unchecked")
    K self = (K) this;
    return self;
  }

  /** The latest renewed lease. */
  public L lease() {
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

  /** Stops renewing and releases the lease. */
  public Future<Void> release() {
    stop();
    return release.apply(lease);
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
    L current = lease;
    renew.apply(current, leaseMs).onComplete(ar -> {
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
