package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * How {@code getOrLease} asks for the right to compute a missing value, times in seconds unless named
 * ms: {@code lease} (or {@code leaseMs}) = how long the lease lasts unless extended (default 10 s);
 * {@code blocking} (default true) = while another caller holds the lease, wait for its value instead of
 * replying {@code busy} at once; {@code blockingTimeout} = longest wait (null = the service's
 * {@code maxBlockingTimeoutSeconds}, 25 s by default, never more); {@code sleep} = the longest a waiter goes
 * without looking again (default 1 s; waiters are woken at once when the value is stored or the lease
 * given up, and look again when the lease they wait on runs out).
 */
@DataObject
public class LeaseOptions {
  public static final long DEFAULT_LEASE_MS = 10_000;

  private final JsonObject json;

  public LeaseOptions() {
    this(new JsonObject());
  }

  public LeaseOptions(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  public Double lease() {
    return number("lease");
  }

  public Long leaseMs() {
    return json.getLong("leaseMs");
  }

  public boolean isBlocking() {
    return json.getBoolean("blocking", true);
  }

  public Double blockingTimeout() {
    return number("blockingTimeout");
  }

  public Double sleep() {
    return number("sleep");
  }

  /** Lease length in seconds (fractions keep ms precision). */
  public LeaseOptions setLease(double seconds) {
    json.put("lease", seconds);
    return this;
  }

  /** Lease length in milliseconds (wins over {@code lease}). */
  public LeaseOptions setLeaseMs(long ms) {
    json.put("leaseMs", ms);
    return this;
  }

  public LeaseOptions setBlocking(boolean blocking) {
    json.put("blocking", blocking);
    return this;
  }

  /** Longest wait in seconds. */
  public LeaseOptions setBlockingTimeout(double seconds) {
    json.put("blockingTimeout", seconds);
    return this;
  }

  /** Longest pause between two looks while waiting, in seconds. */
  public LeaseOptions setSleep(double seconds) {
    json.put("sleep", seconds);
    return this;
  }

  private Double number(String field) {
    Number n = (Number) json.getValue(field);
    return n == null ? null : n.doubleValue();
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
