package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * How to acquire a lock lease (Django/redis-py lock options, times in seconds unless named ms):
 * {@code timeout} = lease length (default 30 s; or {@code leaseMs}), {@code sleep} = polling interval
 * while waiting (default 0.1 s; waiters are normally woken at once by the release notification),
 * {@code blocking} (default true), {@code blockingTimeout} = longest wait (null = the service's
 * {@code maxBlockingTimeoutSeconds}, 25 s by default, never more).
 */
@DataObject
public class LockOptions {
  protected final JsonObject json;

  public LockOptions() {
    this(new JsonObject());
  }

  public LockOptions(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  /** Lease length in seconds (fractions keep ms precision). */
  public Double timeout() {
    Number n = (Number) json.getValue("timeout");
    return n == null ? null : n.doubleValue();
  }

  public Long leaseMs() {
    return json.getLong("leaseMs");
  }

  public Double sleep() {
    Number n = (Number) json.getValue("sleep");
    return n == null ? null : n.doubleValue();
  }

  public boolean isBlocking() {
    return json.getBoolean("blocking", true);
  }

  public Double blockingTimeout() {
    Number n = (Number) json.getValue("blockingTimeout");
    return n == null ? null : n.doubleValue();
  }

  public LockOptions setTimeout(double seconds) {
    json.put("timeout", seconds);
    return this;
  }

  /** Lease length in milliseconds (wins over {@code timeout}). */
  public LockOptions setLeaseMs(long ms) {
    json.put("leaseMs", ms);
    return this;
  }

  /** Retry interval in seconds while waiting (fallback to the release notification). */
  public LockOptions setSleep(double seconds) {
    json.put("sleep", seconds);
    return this;
  }

  public LockOptions setBlocking(boolean blocking) {
    json.put("blocking", blocking);
    return this;
  }

  /** Longest wait in seconds. */
  public LockOptions setBlockingTimeout(double seconds) {
    json.put("blockingTimeout", seconds);
    return this;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
