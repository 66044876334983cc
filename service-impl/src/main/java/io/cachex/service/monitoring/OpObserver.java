package io.cachex.service.monitoring;

import io.cachex.api.CachexError;
import io.cachex.api.contract.ActionSpec;

/** What the service reports about each request; the default reports nothing. */
public interface OpObserver {
  OpObserver NONE = new OpObserver() {
  };

  /**
   * One action finished: {@code error} is null on success; {@code args} are its decoded arguments
   * (null when they could not be decoded); {@code result} its JSON reply.
   */
  default void completed(ActionSpec action, Object[] args, long nanos, CachexError error, Object result) {
  }

  /** A request refused before it named a known action ({@code action} may be null or unknown). */
  default void rejected(String action, CachexError error) {
  }

  /** Time a lock acquire spent waiting. */
  default void lockWait(long nanos, boolean acquired) {
  }

  /** Time a semaphore acquire spent waiting. */
  default void semaphoreWait(long nanos, boolean acquired) {
  }

  /**
   * Time a caller spent waiting for a value computed elsewhere; {@code outcome} is {@code value} (it
   * arrived), {@code lease} (the lease passed to this caller: the holder failed or died) or
   * {@code busy} (the wait ended first).
   */
  default void computeWait(long nanos, String outcome) {
  }

  /** A lease was used after it was lost (refused as not owned); {@code kind} is lock, semaphore or compute. */
  default void leaseLost(String kind) {
  }

  /** A read reported a value near its expiry as a miss (stampede protection). */
  default void earlyExpiry() {
  }
}
