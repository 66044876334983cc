package io.cachex.service.bridge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Set;

/**
 * What a bridge client may do. The bridge itself only lets messages reach the service address;
 * this policy then looks at each message's {@code action}: actions outside the allowlist, a wrong
 * token, or a malformed {@code timeout} header are not dropped (the client would wait for nothing)
 * but marked with {@link #REFUSED_HEADER}, so that the service answers with a coded error that
 * names the action.
 */
public final class BridgePolicy {
  /** Header the policy sets on a refused message; its value is the reason. */
  public static final String REFUSED_HEADER = "cachex-refused";
  /** Header the policy sets on a message with a malformed header; its value is the reason. */
  public static final String INVALID_HEADER = "cachex-invalid";
  /** Header a client sends the shared secret in, when one is configured. */
  public static final String TOKEN_HEADER = "token";

  /** Refused to bridge clients unless listed in {@code allowedActions}: they run ad-hoc code or wipe many keys. */
  public static final Set<String> DANGEROUS = Set.of("clear", "deletePattern", "evalScript", "registerScript");

  private final Set<String> allowed;
  private final Set<String> denied;
  private final String token;

  public BridgePolicy(JsonObject bridges) {
    JsonObject b = bridges == null ? new JsonObject() : bridges;
    this.allowed = strings(b.getJsonArray("allowedActions"));
    this.denied = strings(b.getJsonArray("deniedActions"));
    this.token = b.getString("token");
  }

  private static Set<String> strings(JsonArray a) {
    Set<String> out = new HashSet<>();
    if (a != null) {
      a.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }

  /** Whether bridge clients may run {@code action}. An explicit allowlist wins; otherwise everything but {@link #DANGEROUS} and {@code deniedActions}. */
  public boolean permits(String action) {
    if (!allowed.isEmpty()) {
      return allowed.contains(action);
    }
    return !DANGEROUS.contains(action) && !denied.contains(action);
  }

  /** Applies the policy to a raw bridge frame (send or publish) in place. */
  public void apply(JsonObject frame) {
    JsonObject headers = frame.getJsonObject("headers");
    if (headers == null) {
      headers = new JsonObject();
      frame.put("headers", headers);
    }
    Object presented = headers.remove(TOKEN_HEADER); // never forwarded, never logged
    headers.remove(REFUSED_HEADER);
    headers.remove(INVALID_HEADER);
    Object timeout = headers.getValue("timeout");
    if (timeout != null && !(timeout instanceof Number)) {
      // the TCP bridge would throw on it and never reply
      headers.remove("timeout");
      headers.put(INVALID_HEADER, "header 'timeout' must be a JSON number of milliseconds, got " + abbreviate(timeout));
    }
    if (token != null && !token.equals(presented)) {
      headers.put(REFUSED_HEADER, presented == null ? "this bridge requires a 'token' header" : "wrong 'token' header");
      return;
    }
    Object action = headers.getValue("action");
    if (action instanceof String && !permits((String) action)) {
      headers.put(REFUSED_HEADER, "action '" + action + "' is not allowed to bridge clients (bridges.allowedActions)");
    }
  }

  private static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
