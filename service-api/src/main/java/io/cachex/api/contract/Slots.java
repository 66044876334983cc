package io.cachex.api.contract;

import io.cachex.api.CachexError;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

/**
 * The wire form of a batch (a {@code pipeline}): each operation is {@code {"action": name, "args":
 * {fields}}}, and each reply slot is {@code {"ok": result}} or {@code {"error": {"code",
 * "failureCode", "message"}}}, the error being exactly what the single call would have failed with.
 */
public final class Slots {
  public static final String ACTION = "action";
  public static final String ARGS = "args";

  private Slots() {
  }

  public static JsonObject operation(String action, JsonObject args) {
    return new JsonObject().put(ACTION, action).put(ARGS, args);
  }

  public static JsonObject ok(Object result) {
    return new JsonObject().put("ok", result);
  }

  public static JsonObject error(ServiceException e) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", codeOf(e))
        .put("failureCode", e.failureCode())
        .put("message", e.getMessage()));
  }

  /** The stable code of a failure of ours (from its debug info or its message). */
  public static String codeOf(ServiceException e) {
    JsonObject debug = e.getDebugInfo();
    if (debug != null && debug.getValue("code") instanceof String) {
      return debug.getString("code");
    }
    CachexError c = CachexError.of(e);
    return c == null ? CachexError.INTERNAL.name() : c.name();
  }

  /** The failure of an error slot, as the single call would have failed; null for an ok slot. */
  public static ServiceException failure(JsonObject slot) {
    JsonObject error = slot.getJsonObject("error");
    if (error == null) {
      return null;
    }
    String code = error.getString("code", CachexError.INTERNAL.name());
    return new ServiceException(error.getInteger("failureCode", CachexError.INTERNAL.code()),
        error.getString("message", code), new JsonObject().put("code", code));
  }
}
