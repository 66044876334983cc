package io.cachex.service.ops;

import io.cachex.api.ExpiryOptions;
import io.cachex.api.contract.OperationException;
import io.vertx.redis.client.Request;

/**
 * Django's timeout rules, resolved once per call. {@code timeout} in seconds: absent → the
 * configured default; null → never; {@code <= 0} → expire at once; fractions keep millisecond
 * precision (where the reference truncates to whole seconds).
 */
public final class Expiry {
  public static final Expiry NEVER = new Expiry(-1, false);
  public static final Expiry NOW = new Expiry(0, true);

  /** About 300 years: beyond it Redis' absolute expiry time overflows. */
  public static final double MAX_SECONDS = 1e10;

  private final long millis;
  private final boolean now;

  private Expiry(long millis, boolean now) {
    this.millis = millis;
    this.now = now;
  }

  /** From seconds; null means never. */
  public static Expiry ofSeconds(Double seconds) {
    if (seconds == null) {
      return NEVER;
    }
    if (seconds.isNaN() || seconds.isInfinite()) {
      throw OperationException.invalid("field 'timeout' must be a finite number of seconds or null");
    }
    if (seconds <= 0) {
      return NOW;
    }
    if (seconds > MAX_SECONDS) {
      throw OperationException.invalid("field 'timeout' is over " + (long) MAX_SECONDS + " seconds; use null for no expiry");
    }
    // a positive timeout never rounds down to "no expiry" or "expire now"
    return new Expiry(Math.max(1, Math.round(seconds * 1000)), false);
  }

  /** A positive number of milliseconds. */
  static Expiry ofMillis(long millis) {
    return new Expiry(Math.max(1, millis), false);
  }

  /** From options: {@code timeout} absent → {@code defaultExpiry}. */
  public static Expiry from(ExpiryOptions options, Expiry defaultExpiry) {
    if (options == null || !options.hasTimeout()) {
      return defaultExpiry;
    }
    return ofSeconds(options.timeout());
  }

  public boolean isNever() {
    return millis < 0;
  }

  /** A timeout of zero or less: the write leaves no key behind. */
  public boolean isNow() {
    return now;
  }

  public long millis() {
    return millis;
  }

  /** Appends {@code PX millis} when the key should expire. */
  public Request appendTo(Request request) {
    return millis > 0 ? request.arg("PX").arg(millis) : request;
  }
}
