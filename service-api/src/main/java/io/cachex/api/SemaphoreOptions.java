package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * How to acquire a semaphore permit, times in seconds unless named ms: {@code lease} (or
 * {@code leaseMs}) = how long the permit lasts unless extended, <b>required</b> (a permit of a holder
 * that dies must come back); {@code weight} = units of capacity taken (default 1, at most the
 * capacity); {@code blocking} (default true) = wait for room instead of replying null at once;
 * {@code blockingTimeout} = longest wait (null = the service's {@code maxBlockingTimeoutSeconds}, 25 s by
 * default, never more); {@code sleep} = the longest a waiter goes without looking again (default
 * 0.1 s; waiters are woken at once by releases).
 */
@DataObject
public class SemaphoreOptions {
  private final JsonObject json;

  public SemaphoreOptions() {
    this(new JsonObject());
  }

  public SemaphoreOptions(JsonObject json) {
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

  public Integer weight() {
    return json.getInteger("weight");
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

  /** Permit length in seconds (fractions keep ms precision). */
  public SemaphoreOptions setLease(double seconds) {
    json.put("lease", seconds);
    return this;
  }

  /** Permit length in milliseconds (wins over {@code lease}). */
  public SemaphoreOptions setLeaseMs(long ms) {
    json.put("leaseMs", ms);
    return this;
  }

  public SemaphoreOptions setWeight(int weight) {
    json.put("weight", weight);
    return this;
  }

  public SemaphoreOptions setBlocking(boolean blocking) {
    json.put("blocking", blocking);
    return this;
  }

  /** Longest wait in seconds. */
  public SemaphoreOptions setBlockingTimeout(double seconds) {
    json.put("blockingTimeout", seconds);
    return this;
  }

  /** Longest pause between two looks while waiting, in seconds. */
  public SemaphoreOptions setSleep(double seconds) {
    json.put("sleep", seconds);
    return this;
  }

  /** Shortcut for {@code new SemaphoreOptions().setLease(seconds)}. */
  public static SemaphoreOptions withLease(double seconds) {
    return new SemaphoreOptions().setLease(seconds);
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
