package io.cachex.api;

import io.vertx.core.Future;

import java.util.function.Supplier;

/** Java helpers over {@link LockCommands}. */
public final class Locks {
  private Locks() {
  }

  /**
   * Acquires {@code name}, runs {@code work}, and always releases, whether the work succeeds or
   * fails (or throws). Fails with TIMEOUT when the lock is not acquired within the wait (or at once
   * for a non-blocking acquire). When the work succeeded but the release is refused
   * (LOCK_NOT_OWNED: the lease ran out during the work), that failure is reported, since the
   * section did not run under the lock throughout.
   */
  public static <T> Future<T> withLock(LockCommands cache, String name, LockOptions options, Supplier<Future<T>> work) {
    return cache.acquireLock(name, options).compose(lease -> {
      if (lease == null) {
        return Future.failedFuture(CachexError.TIMEOUT.exception("withLock", name, "lock not acquired within the wait"));
      }
      return Leased.run(work, () -> cache.releaseLock(lease));
    });
  }
}
