package io.cachex.servers;

/** Polling until a condition holds, with a deadline and the last error in the timeout message. */
final class Waits {

  @FunctionalInterface
  interface Check {
    boolean ok();
  }

  private Waits() {
  }

  /** Polls {@code check} every 50 ms until it returns true; exceptions count as "not yet". */
  static void until(long deadlineNanos, String what, Check check) {
    RuntimeException last = null;
    while (true) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException("timed out waiting until " + what
            + (last != null ? " (last error: " + last + ")" : ""), last);
      }
      LocalServerProcess.sleep(50);
    }
  }
}
