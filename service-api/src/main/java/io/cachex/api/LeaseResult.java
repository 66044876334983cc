package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * What {@code getOrLease} found, by {@code status}:
 * <ul>
 *   <li>{@code "hit"}: the value is in {@code value};</li>
 *   <li>{@code "lease"}: the caller computes the value and stores it with {@code setLeased(lease, ...)};
 *   {@code stale} holds the value being refreshed when it is still there (a refresh before expiry);</li>
 *   <li>{@code "busy"}: another caller computes the value and it did not arrive within the wait (or the
 *   call did not wait); {@code retryMs} is how long that caller's lease has left.</li>
 * </ul>
 */
@DataObject
public class LeaseResult {
  public static final String HIT = "hit";
  public static final String LEASE = "lease";
  public static final String BUSY = "busy";

  private final JsonObject json;

  public LeaseResult() {
    this(new JsonObject());
  }

  public LeaseResult(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  public String getStatus() {
    return json.getString("status");
  }

  public LeaseResult setStatus(String status) {
    json.put("status", status);
    return this;
  }

  public boolean isHit() {
    return HIT.equals(getStatus());
  }

  public boolean isLease() {
    return LEASE.equals(getStatus());
  }

  public boolean isBusy() {
    return BUSY.equals(getStatus());
  }

  /** The value of a hit (any JSON value; inside this object an integer may arrive as an Integer). */
  public Object getValue() {
    return json.getValue("value");
  }

  public LeaseResult setValue(Object value) {
    json.put("value", value);
    return this;
  }

  /** The lease of a {@code "lease"} result. */
  public ComputeLease getLease() {
    JsonObject lease = json.getJsonObject("lease");
    return lease == null ? null : new ComputeLease(lease);
  }

  public LeaseResult setLease(ComputeLease lease) {
    json.put("lease", lease == null ? null : lease.toJson());
    return this;
  }

  /** Whether a lease comes with the value it refreshes ({@link #getStale()}). */
  public boolean hasStale() {
    return json.containsKey("stale");
  }

  public Object getStale() {
    return json.getValue("stale");
  }

  public LeaseResult setStale(Object stale) {
    json.put("stale", stale);
    return this;
  }

  /** For {@code "busy"}: ms left on the lease of the caller that computes. */
  public Long getRetryMs() {
    return json.getLong("retryMs");
  }

  public LeaseResult setRetryMs(Long retryMs) {
    json.put("retryMs", retryMs);
    return this;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
