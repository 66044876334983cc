package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * A held lock: plain data the caller keeps (ownership is the token, never a thread or a node).
 * {@code fencingToken} comes from a per-name counter and strictly increases from one holder to the
 * next: pass it to the protected resource so it can refuse a stale holder. {@code expiresAt} is the
 * service's clock (epoch ms) when the lease was granted or last extended.
 */
@DataObject
public class LockLease implements Lease {
  private final JsonObject json;

  public LockLease() {
    this(new JsonObject());
  }

  public LockLease(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  public String getName() {
    return json.getString("name");
  }

  public LockLease setName(String name) {
    json.put("name", name);
    return this;
  }

  public String getToken() {
    return json.getString("token");
  }

  public LockLease setToken(String token) {
    json.put("token", token);
    return this;
  }

  public Long getFencingToken() {
    return json.getLong("fencingToken");
  }

  public LockLease setFencingToken(Long fencingToken) {
    json.put("fencingToken", fencingToken);
    return this;
  }

  @Override
  public Long getExpiresAt() {
    return json.getLong("expiresAt");
  }

  public LockLease setExpiresAt(Long expiresAt) {
    json.put("expiresAt", expiresAt);
    return this;
  }

  @Override
  public Long getLeaseMs() {
    return json.getLong("leaseMs");
  }

  public LockLease setLeaseMs(Long leaseMs) {
    json.put("leaseMs", leaseMs);
    return this;
  }

  public Integer getVersion() {
    return json.getInteger("version");
  }

  public LockLease setVersion(Integer version) {
    json.put("version", version);
    return this;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
