package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * The expiry of a write ({@code add}, {@code touch}, {@code setMany}, {@code getOrSet}).
 * <p>
 * {@code timeout} follows Django's rules, in seconds: absent → the configured default; {@code null} →
 * never expires; {@code <= 0} → expires at once (the key is deleted); fractions keep millisecond
 * precision. The JSON form keeps "absent" and "null" apart, which a plain {@code Double} could not.
 */
@DataObject
public class ExpiryOptions {
  protected final JsonObject json;

  public ExpiryOptions() {
    this(new JsonObject());
  }

  public ExpiryOptions(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  /** Seconds to live; null when never expiring or when not given (see {@link #hasTimeout()}). */
  public Double timeout() {
    Number t = (Number) json.getValue("timeout");
    return t == null ? null : t.doubleValue();
  }

  /** Whether a timeout (possibly null: never) was given, rather than the configured default. */
  public boolean hasTimeout() {
    return json.containsKey("timeout");
  }

  /** Expire after this many seconds (fractions allowed; {@code <= 0} deletes at once). */
  public ExpiryOptions setTimeout(double seconds) {
    json.put("timeout", seconds);
    return this;
  }

  /** Never expire. */
  public ExpiryOptions setNoExpiry() {
    json.putNull("timeout");
    return this;
  }

  /** Shortcut for {@code new ExpiryOptions().setTimeout(seconds)}. */
  public static ExpiryOptions timeout(double seconds) {
    return new ExpiryOptions().setTimeout(seconds);
  }

  /** Shortcut for {@code new ExpiryOptions().setNoExpiry()}. */
  public static ExpiryOptions noExpiry() {
    return new ExpiryOptions().setNoExpiry();
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
