package io.cachex.service.locks;

import io.cachex.service.dispatch.Plan;
import io.cachex.service.dispatch.Runner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One waiting operation (a lock or semaphore acquisition, a wait for a value computed elsewhere): an
 * attempt now, then again each time the key it waits on is woken ({@link Waiters}), when the last
 * attempt said something will change by itself (a lease runs out), and at least every {@code sleep},
 * until an attempt ends the wait or the deadline passes. Each attempt is a plan run through the
 * runner, so every command leaves through the dispatcher. Confined to the service's event loop.
 */
public final class WaitLoop<T> {

  /** What one attempt found: the result that ends the wait, or not yet. */
  public record Attempt<T>(boolean done, T value, long retryInMs) {

    public static <T> Attempt<T> done(T value) {
      return new Attempt<>(true, value, 0);
    }

    /**
     * Not yet: look again on a wake-up, or after {@code retryInMs} at the latest (when something the
     * attempt saw runs out; {@link Long#MAX_VALUE} when nothing does). {@code seen} is what the wait
     * answers if it ends now.
     */
    public static <T> Attempt<T> notYet(long retryInMs, T seen) {
      return new Attempt<>(false, seen, Math.max(1, retryInMs));
    }
  }

  private final Promise<T> promise = Promise.promise();
  private final Runner runner;
  private final Waiters waiters;
  private final String wakeKey;
  private final Supplier<Plan<Attempt<T>>> attempt;
  private final Function<T, Plan<T>> giveUp;
  private final long sleepMs;
  /** System.nanoTime() when the wait is over. */
  private final long deadline;
  private final Vertx vertx;
  private T seen;
  private boolean inFlight;
  private boolean wokenInFlight;
  private long timer = -1;
  private Runnable unregister;

  private WaitLoop(Runner runner, Waiters waiters, String wakeKey, Supplier<Plan<Attempt<T>>> attempt,
                   Function<T, Plan<T>> giveUp, long sleepMs, long deadline) {
    this.runner = runner;
    this.waiters = waiters;
    this.wakeKey = wakeKey;
    this.attempt = attempt;
    this.giveUp = giveUp;
    this.sleepMs = Math.max(1, sleepMs);
    this.deadline = deadline;
    this.vertx = waiters.vertx();
  }

  /**
   * Waits until an attempt is done or {@code deadline} (System.nanoTime()). When the wait ends without
   * a result, or an attempt fails, {@code giveUp} runs with what the last attempt saw (to leave a queue,
   * say): its result is the wait's result, or, after a failure, the failure is.
   */
  public static <T> Future<T> run(Runner runner, Waiters waiters, String wakeKey, Supplier<Plan<Attempt<T>>> attempt,
                                  Function<T, Plan<T>> giveUp, long sleepMs, long deadline) {
    return new WaitLoop<>(runner, waiters, wakeKey, attempt, giveUp, sleepMs, deadline).start();
  }

  private Future<T> start() {
    unregister = waiters.register(wakeKey, this::wake);
    attempt();
    return promise.future();
  }

  private void attempt() {
    timer = -1;
    inFlight = true;
    wokenInFlight = false;
    Future<Attempt<T>> outcome;
    try {
      outcome = runner.run(attempt.get());
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(ar -> {
      inFlight = false;
      if (promise.future().isComplete()) {
        return;
      }
      if (ar.failed()) {
        stopWaiting();
        runner.run(giveUp.apply(seen)).onComplete(ignored -> promise.tryFail(ar.cause()));
        return;
      }
      Attempt<T> a = ar.result();
      if (a.done()) {
        stopWaiting();
        promise.tryComplete(a.value());
        return;
      }
      seen = a.value();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        stopWaiting();
        runner.run(giveUp.apply(seen)).onComplete(promise);
      } else if (wokenInFlight) {
        attempt();
      } else {
        // rounded up, so that the last attempt is never made before the wait is over
        long leftMs = (left + 999_999) / 1_000_000;
        timer = vertx.setTimer(Math.max(1, Math.min(sleepMs, Math.min(a.retryInMs(), leftMs))), id -> attempt());
      }
    });
  }

  private void wake() {
    if (promise.future().isComplete()) {
      return;
    }
    if (inFlight) {
      wokenInFlight = true;
    } else if (timer >= 0) {
      vertx.cancelTimer(timer);
      attempt();
    }
  }

  private void stopWaiting() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (unregister != null) {
      unregister.run();
      unregister = null;
    }
  }
}
