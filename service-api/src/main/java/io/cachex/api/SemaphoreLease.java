package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * A held semaphore permit: plain data the caller keeps (ownership is the random token, never a thread
 * or a node). It holds {@code weight} units of the semaphore's capacity until released or until
 * {@code expiresAt} (the service's clock, epoch ms) unless extended; an expired permit is reclaimed.
 */
@DataObject
public class SemaphoreLease implements Lease {
  private final JsonObject json;

  public SemaphoreLease() {
    this(new JsonObject());
  }

  public SemaphoreLease(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  public String getName() {
    return json.getString("name");
  }

  public SemaphoreLease setName(String name) {
    json.put("name", name);
    return this;
  }

  public String getToken() {
    return json.getString("token");
  }

  public SemaphoreLease setToken(String token) {
    json.put("token", token);
    return this;
  }

  /** Units of capacity the permit holds. */
  public Integer getWeight() {
    return json.getInteger("weight");
  }

  public SemaphoreLease setWeight(Integer weight) {
    json.put("weight", weight);
    return this;
  }

  @Override
  public Long getExpiresAt() {
    return json.getLong("expiresAt");
  }

  public SemaphoreLease setExpiresAt(Long expiresAt) {
    json.put("expiresAt", expiresAt);
    return this;
  }

  @Override
  public Long getLeaseMs() {
    return json.getLong("leaseMs");
  }

  public SemaphoreLease setLeaseMs(Long leaseMs) {
    json.put("leaseMs", leaseMs);
    return this;
  }

  public Integer getVersion() {
    return json.getInteger("version");
  }

  public SemaphoreLease setVersion(Integer version) {
    json.put("version", version);
    return this;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
