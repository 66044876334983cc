package io.cachex.api;

import io.vertx.core.Future;

import java.util.function.Supplier;

/** Runs work under a lease and always gives the lease back: the part {@link Locks} and {@link Semaphores} share. */
final class Leased {
  private Leased() {
  }

  /**
   * Runs {@code work} (a null future counts as done, a throw as a failure), then {@code release}. The
   * work's failure wins; after a successful work, a refused release is the result (the work did not
   * run under the lease throughout).
   */
  static <T> Future<T> run(Supplier<Future<T>> work, Supplier<Future<Void>> release) {
    Future<T> result;
    try {
      result = work.get();
      if (result == null) {
        result = Future.succeededFuture();
      }
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.transform(done -> release.get().transform(released -> {
      if (done.failed()) {
        return Future.failedFuture(done.cause());
      }
      return released.failed() ? Future.failedFuture(released.cause()) : Future.succeededFuture(done.result());
    }));
  }
}
