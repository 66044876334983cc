package io.cachex.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;

import java.util.function.Supplier;

/**
 * Java side of compute-once: {@code getOrLease} until there is a value or a lease; with a lease, run the
 * loader while a {@link LeaseKeeper} renews the lease, then store the value with {@code setLeased} (or,
 * when the loader fails, give the lease up so that the next waiter computes).
 */
public final class ComputeOnce {
  private static final long RETRY_MS = 100;

  private ComputeOnce() {
  }

  /**
   * The value of {@code key}. When it is missing (or due for an early refresh), exactly one caller in the
   * cluster runs {@code loader} under a lease; every other caller waits for the value that caller stores
   * and gets it. A loader that fails (or throws) fails this call and passes the lease to the next waiter;
   * a caller that dies stops renewing its lease, which runs out and passes on. Requests lost in transit
   * (a service node that left) are sent again. Fails TIMEOUT when no value arrived within
   * {@code maxWaitMs}; failures of Valkey/Redis fail the call with their code (the loader does not run
   * without a lease). The value is returned as {@code get} returns it (a top-level integer as a Long);
   * the loader's value must be a JSON value.
   */
  public static Future<Object> getOrCompute(Vertx vertx, ComputeCommands cache, String key, ComputeOptions options,
                                            Supplier<Future<?>> loader) {
    ComputeOptions o = options == null ? new ComputeOptions() : options;
    Promise<Object> result = Promise.promise();
    new Call(vertx, cache, key, o, loader, result, System.nanoTime() + o.maxWaitMs() * 1_000_000).ask();
    return result.future();
  }

  private record Call(Vertx vertx, ComputeCommands cache, String key, ComputeOptions options, Supplier<Future<?>> loader,
                      Promise<Object> result, long deadline) {

    void ask() {
      long leftMs = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMs <= 0) {
        result.tryFail(CachexError.TIMEOUT.exception("getOrCompute", key,
            "no value within " + options.maxWaitMs() + " ms: another caller holds the lease and has not stored it"));
        return;
      }
      LeaseOptions ask = new LeaseOptions(options.lease().toJson().copy())
          .setBlockingTimeout(Math.min(leftMs, options.waitSliceMs()) / 1000.0);
      cache.getOrLease(key, ask, options.version(), options.stampede()).onComplete(ar -> {
        if (ar.failed()) {
          if (lostInTransit(ar.cause()) && deadline - System.nanoTime() > 0) {
            vertx.setTimer(RETRY_MS, id -> ask());
          } else {
            result.tryFail(ar.cause());
          }
          return;
        }
        LeaseResult r = ar.result();
        if (r.isHit()) {
          result.tryComplete(asReturned(r.getValue()));
        } else if (r.isLease()) {
          compute(r.getLease());
        } else {
          ask();
        }
      });
    }

    void compute(ComputeLease lease) {
      LeaseKeeper<ComputeLease> keeper = LeaseKeeper.forCompute(vertx, cache, lease);
      Future<?> work;
      try {
        work = loader.get();
        if (work == null) {
          work = Future.succeededFuture();
        }
      } catch (RuntimeException e) {
        work = Future.failedFuture(e);
      }
      work.onComplete(done -> {
        keeper.stop();
        if (done.failed()) {
          // the next waiter computes; this caller reports the loader's failure
          cache.releaseLease(keeper.lease()).onComplete(released -> result.tryFail(done.cause()));
          return;
        }
        Object value = JsonValues.normalize(done.result());
        JsonArray boxed = new JsonArray().add(value);
        // stored, refused (the key changed meanwhile) or lease lost: this caller has its value either way
        cache.setLeased(keeper.lease(), options.expiry(), options.stampede(), boxed)
            .onComplete(stored -> result.tryComplete(asReturned(value)));
      });
    }
  }

  /** A request that never reached a service instance or whose reply was lost with its node. */
  private static boolean lostInTransit(Throwable failure) {
    return failure instanceof ReplyException
        && (((ReplyException) failure).failureType() == ReplyFailure.TIMEOUT
        || ((ReplyException) failure).failureType() == ReplyFailure.NO_HANDLERS);
  }

  private static Object asReturned(Object value) {
    return value instanceof Integer || value instanceof Short || value instanceof Byte ? (Object) ((Number) value).longValue() : value;
  }
}
