package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * Options of {@code zadd} (Redis ZADD flags): {@code nx} only adds new members (never updates a
 * score), {@code xx} only updates existing members (never adds), {@code gt}/{@code lt} only update
 * when the new score is greater/less than the current one (new members are still added),
 * {@code ch} makes the reply count changed members (added or score updated) instead of added ones.
 * {@code nx} with {@code xx}, {@code gt} with {@code lt}, and
 * {@code gt}/{@code lt} with {@code nx} are INVALID_ARGUMENT.
 */
@DataObject
public class ZaddOptions {
  private final JsonObject json;

  public ZaddOptions() {
    this(new JsonObject());
  }

  public ZaddOptions(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public JsonObject toJson() {
    return json;
  }

  public boolean isNx() {
    return json.getBoolean("nx", false);
  }

  public boolean isXx() {
    return json.getBoolean("xx", false);
  }

  public boolean isCh() {
    return json.getBoolean("ch", false);
  }

  public boolean isGt() {
    return json.getBoolean("gt", false);
  }

  public boolean isLt() {
    return json.getBoolean("lt", false);
  }

  public ZaddOptions setNx(boolean nx) {
    json.put("nx", nx);
    return this;
  }

  public ZaddOptions setXx(boolean xx) {
    json.put("xx", xx);
    return this;
  }

  public ZaddOptions setCh(boolean ch) {
    json.put("ch", ch);
    return this;
  }

  public ZaddOptions setGt(boolean gt) {
    json.put("gt", gt);
    return this;
  }

  public ZaddOptions setLt(boolean lt) {
    json.put("lt", lt);
    return this;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
