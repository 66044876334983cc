package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * The right to compute the value of one key, granted by {@code getOrLease} to one caller at a time
 * (memcached's lease): plain data the caller keeps and sends back with {@code setLeased},
 * {@code releaseLease} or {@code extendLease}. Ownership is the random token; the lease runs out at
 * {@code expiresAt} (the service's clock, epoch ms) unless extended, and then the next caller gets it.
 */
@DataObject
public class ComputeLease implements Lease {
  private final JsonObject json;

  public ComputeLease() {
    this(new JsonObject());
  }

  public ComputeLease(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  /** The caller's key the lease is for. */
  public String getKey() {
    return json.getString("key");
  }

  public ComputeLease setKey(String key) {
    json.put("key", key);
    return this;
  }

  public String getToken() {
    return json.getString("token");
  }

  public ComputeLease setToken(String token) {
    json.put("token", token);
    return this;
  }

  @Override
  public Long getExpiresAt() {
    return json.getLong("expiresAt");
  }

  public ComputeLease setExpiresAt(Long expiresAt) {
    json.put("expiresAt", expiresAt);
    return this;
  }

  @Override
  public Long getLeaseMs() {
    return json.getLong("leaseMs");
  }

  public ComputeLease setLeaseMs(Long leaseMs) {
    json.put("leaseMs", leaseMs);
    return this;
  }

  public Integer getVersion() {
    return json.getInteger("version");
  }

  public ComputeLease setVersion(Integer version) {
    json.put("version", version);
    return this;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
