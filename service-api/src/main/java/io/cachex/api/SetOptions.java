package io.cachex.api;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * Options of {@code set}: the expiry as in {@link ExpiryOptions}, plus {@code nx} (only if
 * absent), {@code xx} (only if present) and {@code get} (reply with the previous value). The reply
 * of {@code set} is null; a boolean "was it written" with nx or xx; the old value with get.
 */
@DataObject
public class SetOptions extends ExpiryOptions {

  public SetOptions() {
    super();
  }

  public SetOptions(JsonObject json) {
    super(json);
  }

  @Override
  public SetOptions setTimeout(double seconds) {
    super.setTimeout(seconds);
    return this;
  }

  @Override
  public SetOptions setNoExpiry() {
    super.setNoExpiry();
    return this;
  }

  public boolean isNx() {
    return json.getBoolean("nx", false);
  }

  public boolean isXx() {
    return json.getBoolean("xx", false);
  }

  public boolean isGet() {
    return json.getBoolean("get", false);
  }

  public SetOptions setNx(boolean nx) {
    json.put("nx", nx);
    return this;
  }

  public SetOptions setXx(boolean xx) {
    json.put("xx", xx);
    return this;
  }

  public SetOptions setGet(boolean get) {
    json.put("get", get);
    return this;
  }

  public static SetOptions timeout(double seconds) {
    return new SetOptions().setTimeout(seconds);
  }

  public static SetOptions noExpiry() {
    return new SetOptions().setNoExpiry();
  }

  public static SetOptions nx() {
    return new SetOptions().setNx(true);
  }

  public static SetOptions xx() {
    return new SetOptions().setXx(true);
  }
}
