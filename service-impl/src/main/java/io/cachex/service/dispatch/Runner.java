package io.cachex.service.dispatch;

import io.vertx.core.Future;

/** Runs a plan alone: what an operation of several round trips ({@link Plan#steps}) uses for each step. */
@FunctionalInterface
public interface Runner {
  <T> Future<T> run(Plan<T> plan);
}
