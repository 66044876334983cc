package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * Expiry and key version of a write ({@code add}, {@code touch}, {@code setMany}, {@code getOrSet}).
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

  public ExpiryOptions setVersion(Integer version) {
    json.put("version", version);
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
