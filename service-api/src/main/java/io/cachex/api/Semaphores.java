package io.cachex.api;

import io.vertx.core.Future;

import java.util.function.Supplier;

/** Java helpers over {@link SemaphoreCommands}. */
public final class Semaphores {
  private Semaphores() {
  }

  /**
   * Acquires a permit of {@code name}, runs {@code work}, and always releases, whether the work
   * succeeds or fails (or throws). Fails with TIMEOUT when no permit was acquired within the wait (or
   * at once for a non-blocking acquire). When the work succeeded but the release is refused
   * (LOCK_NOT_OWNED: the permit ran out during the work), that failure is reported, since the work did
   * not run under the permit throughout.
   */
  public static <T> Future<T> withPermit(SemaphoreCommands cache, String name, int capacity, SemaphoreOptions options,
                                         Supplier<Future<T>> work) {
    return cache.acquireSemaphore(name, capacity, options).compose(lease -> {
      if (lease == null) {
        return Future.failedFuture(CachexError.TIMEOUT.exception("withPermit", name, "no permit acquired within the wait"));
      }
      return Leased.run(work, () -> cache.releaseSemaphore(lease));
    });
  }
}
