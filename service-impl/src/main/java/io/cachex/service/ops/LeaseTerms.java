package io.cachex.service.ops;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;

import java.security.SecureRandom;

/** What every lease and every wait shares (locks, semaphores, compute leases): tokens, lengths, waits, refusals. */
final class LeaseTerms {
  private static final SecureRandom RANDOM = new SecureRandom();

  private LeaseTerms() {
  }

  /** A random 128-bit token as 32 hex digits: ownership of a lease. */
  static String newToken() {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    StringBuilder token = new StringBuilder(32);
    for (byte b : random) {
      token.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return token.toString();
  }

  /** An option in seconds, {@code def} when absent; INVALID_ARGUMENT naming {@code options.field} when negative or not finite. */
  static double seconds(Double v, String field, double def) {
    if (v == null) {
      return def;
    }
    if (v < 0 || v.isNaN() || v.isInfinite()) {
      throw OperationException.invalid("field 'options." + field + "' must be a non-negative number of seconds");
    }
    return v;
  }

  /**
   * A lease length in ms: {@code ms} (field {@code options.leaseMs}) wins, else {@code seconds} (field
   * {@code options.<secondsField>}), else {@code def}; {@code def} null means one of them is required.
   */
  static long leaseMs(Long ms, Double seconds, String secondsField, Long def) {
    if (ms != null) {
      if (ms <= 0) {
        throw OperationException.invalid("field 'options.leaseMs' must be a positive number of milliseconds");
      }
      return ms;
    }
    if (seconds == null) {
      if (def == null) {
        throw OperationException.invalid("field 'options." + secondsField + "' is required (or 'options.leaseMs'): a lease always expires");
      }
      return def;
    }
    long l = Math.round(seconds(seconds, secondsField, 0) * 1000);
    if (l <= 0) {
      throw OperationException.invalid("field 'options." + secondsField + "' must be a positive number of seconds");
    }
    return l;
  }

  /** The longest wait of a blocking call, in seconds: {@code blockingTimeout}, at most the service's {@code maxBlockingTimeoutSeconds}. */
  static double waitSeconds(OpContext x, Double blockingTimeout) {
    double max = x.config.maxBlockingTimeout;
    return blockingTimeout == null ? max : Math.min(max, seconds(blockingTimeout, "blockingTimeout", max));
  }

  /** The interval between two looks of a waiter, in ms (at least 1). */
  static long sleepMs(Double sleep, double defSeconds) {
    return Math.max(1, Math.round(seconds(sleep, "sleep", defSeconds) * 1000));
  }

  /** LOCK_NOT_OWNED for a lease of {@code kind} that is no longer held, counted as a lost lease. */
  static OperationException notOwned(OpContext x, String kind, String what) {
    x.observer.leaseLost(kind);
    return new OperationException(CachexError.LOCK_NOT_OWNED, what + " (it expired, was released, or another holder has it)");
  }
}
