package io.cachex.service.monitoring;

/** What the service reports about each operation; the default reports nothing. */
public interface OpObserver {
  OpObserver NONE = new OpObserver() {
  };

  /** One operation finished: {@code errorCode} is null on success, else the CachexError name. */
  default void completed(String op, long nanos, String errorCode, Object result) {
  }

  /** Time a lock acquire spent waiting. */
  default void lockWait(long nanos, boolean acquired) {
  }
}
