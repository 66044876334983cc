package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * Probabilistic early expiry (XFetch) for one call: on, off, or a policy of its own. A write with a
 * positive timeout keeps the key {@code buffer} seconds longer than asked; a read that finds a value
 * with less than that buffer left, or only a little logical time left, may report it as a miss, so
 * that one caller recomputes it before every caller misses at once (docs/SEMANTICS.md "Stampede
 * protection").
 * <ul>
 *   <li>not given: the service's configured policy ({@code stampede}), off by default;</li>
 *   <li>{@link #off()} ({@code {"enabled": false}}): off for this call;</li>
 *   <li>{@link #on()} ({@code {}} or {@code {"enabled": true}}): the service's policy, or the defaults when it has none;</li>
 *   <li>{@link #policy} (any of {@code buffer}, {@code beta}, {@code delta}): this policy instead of the
 *   service's, the fields not given at their defaults (60 s, 1.0, 1.0).</li>
 * </ul>
 * {@code buffer} and {@code delta} are seconds (fractions keep millisecond precision); {@code delta} is
 * the expected time to recompute a value, {@code beta} scales how early recomputation starts.
 */
@DataObject
public class Stampede {
  public static final double DEFAULT_BUFFER = 60;
  public static final double DEFAULT_BETA = 1.0;
  public static final double DEFAULT_DELTA = 1.0;

  private final JsonObject json;

  public Stampede() {
    this(new JsonObject());
  }

  public Stampede(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  /** Explicitly on or off; null when not said ({@code {}} means on). */
  public Boolean enabled() {
    return json.getBoolean("enabled");
  }

  public Double buffer() {
    return number("buffer");
  }

  public Double beta() {
    return number("beta");
  }

  public Double delta() {
    return number("delta");
  }

  /** Whether this call brings a policy of its own (any of buffer, beta, delta). */
  public boolean hasPolicy() {
    return json.containsKey("buffer") || json.containsKey("beta") || json.containsKey("delta");
  }

  public Stampede setEnabled(boolean enabled) {
    json.put("enabled", enabled);
    return this;
  }

  /** Seconds a write keeps the key beyond its timeout. */
  public Stampede setBuffer(double seconds) {
    json.put("buffer", seconds);
    return this;
  }

  public Stampede setBeta(double beta) {
    json.put("beta", beta);
    return this;
  }

  /** Expected recomputation time, in seconds. */
  public Stampede setDelta(double seconds) {
    json.put("delta", seconds);
    return this;
  }

  /** On, with the service's policy (or the defaults). */
  public static Stampede on() {
    return new Stampede().setEnabled(true);
  }

  /** Off for this call, whatever the service's policy. */
  public static Stampede off() {
    return new Stampede().setEnabled(false);
  }

  /** On, with this policy. */
  public static Stampede policy(double bufferSeconds, double beta, double deltaSeconds) {
    return new Stampede().setBuffer(bufferSeconds).setBeta(beta).setDelta(deltaSeconds);
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
