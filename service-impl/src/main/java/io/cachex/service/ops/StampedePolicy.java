package io.cachex.service.ops;

import io.cachex.api.Stampede;
import io.cachex.api.contract.OperationException;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Probabilistic early expiry (XFetch: Vattani, Chierichetti and Lowenstein, VLDB 2015), with
 * django-cachex's rules. A write with a positive timeout stores the key {@code buffer} longer. A read
 * that finds a value with {@code pttl} ms of physical time left sees {@code remaining = pttl - buffer}
 * of logical time; it reports a miss when {@code remaining <= delta * beta * E}, E drawn from an
 * exponential distribution of mean 1: always once the logical time is over, and before that with
 * probability {@code exp(-remaining / (delta * beta))}. A value without expiry is never early.
 */
public record StampedePolicy(long bufferMs, double beta, double delta) {
  public static final StampedePolicy DEFAULTS = new StampedePolicy(Math.round(Stampede.DEFAULT_BUFFER * 1000),
      Stampede.DEFAULT_BETA, Stampede.DEFAULT_DELTA);

  /** The service's policy from the configuration's {@code stampede}: absent or false = off (null), true = defaults. */
  public static StampedePolicy fromConfig(Object option) {
    if (option == null || Boolean.FALSE.equals(option)) {
      return null;
    }
    if (Boolean.TRUE.equals(option)) {
      return DEFAULTS;
    }
    if (!(option instanceof JsonObject)) {
      throw new IllegalArgumentException("config option 'stampede' must be true, false or an object {buffer, beta, delta}");
    }
    JsonObject j = (JsonObject) option;
    for (String field : j.fieldNames()) {
      if (!field.equals("buffer") && !field.equals("beta") && !field.equals("delta")) {
        throw new IllegalArgumentException("config option 'stampede." + field + "' is unknown; stampede has [buffer, beta, delta]");
      }
      if (!(j.getValue(field) instanceof Number)) {
        throw new IllegalArgumentException("config option 'stampede." + field + "' must be a number");
      }
    }
    try {
      return of(new Stampede(j), "config option 'stampede");
    } catch (OperationException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /**
   * The policy of one call: {@code choice} null → the service's ({@code configured}, null when off);
   * {@code enabled: false} → off; a policy of its own → that one (fields not given at their defaults,
   * as the reference's per-call policy replaces the configured one wholesale); otherwise the service's,
   * or the defaults when the service has none.
   */
  public static StampedePolicy resolve(Stampede choice, StampedePolicy configured) {
    if (choice == null) {
      return configured;
    }
    if (Boolean.FALSE.equals(choice.enabled())) {
      if (choice.hasPolicy()) {
        throw OperationException.invalid("field 'stampede' turns stampede protection off and gives a policy: send one or the other");
      }
      return null;
    }
    if (choice.hasPolicy()) {
      return of(choice, "field 'stampede");
    }
    return configured != null ? configured : DEFAULTS;
  }

  private static StampedePolicy of(Stampede s, String where) {
    double buffer = check(s.buffer(), Stampede.DEFAULT_BUFFER, where + ".buffer'", Expiry.MAX_SECONDS);
    double beta = check(s.beta(), Stampede.DEFAULT_BETA, where + ".beta'", 1e6);
    double delta = check(s.delta(), Stampede.DEFAULT_DELTA, where + ".delta'", Expiry.MAX_SECONDS);
    return new StampedePolicy(Math.round(buffer * 1000), beta, delta);
  }

  private static double check(Double value, double def, String field, double max) {
    if (value == null) {
      return def;
    }
    if (value.isNaN() || value < 0 || value > max) {
      throw OperationException.invalid(field + " must be a number from 0 to " + (long) max);
    }
    return value;
  }

  /** The stored expiry of a write: a positive timeout gets the buffer; no expiry and "expire now" stay as they are. */
  public Expiry stored(Expiry expiry) {
    return expiry.isNever() || expiry.isNow() ? expiry : Expiry.ofMillis(expiry.millis() + bufferMs);
  }

  /** One draw of {@code delta * beta * E} in ms: a value is early when its logical time left is at most this. */
  public long drawThresholdMs() {
    double e = -Math.log(1 - ThreadLocalRandom.current().nextDouble());
    double ms = delta * beta * e * 1000;
    return ms >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.floor(ms);
  }

  /** Whether a value with {@code pttl} ms left (PTTL's reply: negative without expiry) is reported as a miss. */
  public boolean earlyMiss(long pttl) {
    return pttl > 0 && pttl - bufferMs <= drawThresholdMs();
  }
}
