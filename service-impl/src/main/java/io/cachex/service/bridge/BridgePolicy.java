package io.cachex.service.bridge;

import io.cachex.api.contract.ActionHeader;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.cachex.api.contract.OperationException;
import io.cachex.api.contract.Param;
import io.cachex.api.contract.Slots;
import io.cachex.api.contract.WireType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * What a bridge client may do. The bridge itself only lets messages reach the service address;
 * this policy then looks at the action each message names, and at every operation it carries
 * (a {@code pipeline}'s operations, at any depth): an action outside the allowlist, a restricted
 * action ({@code @Action(restricted = true)}: it runs caller code or deletes many keys) or one in
 * the denylist, a wrong token, a malformed {@code timeout} or {@code action} header are not dropped
 * (the client would wait for nothing) but marked with {@link #REFUSED_HEADER} or
 * {@link #INVALID_HEADER}, so that the service answers with a coded error naming the action.
 */
public final class BridgePolicy {
  /** Header the policy sets on a refused message; its value is the reason. */
  public static final String REFUSED_HEADER = "cachex-refused";
  /** Header the policy sets on a message with a malformed header; its value is the reason. */
  public static final String INVALID_HEADER = "cachex-invalid";
  /** Header a client sends the shared secret in, when one is configured. */
  public static final String TOKEN_HEADER = "token";

  private final Actions actions = Actions.cachex();
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

  /**
   * Whether bridge clients may run {@code action} by itself. An explicit allowlist wins; otherwise
   * everything but restricted actions and {@code deniedActions}.
   */
  public boolean permits(String action) {
    if (!allowed.isEmpty()) {
      return allowed.contains(action);
    }
    ActionSpec spec = actions.find(action);
    return !(spec != null && spec.traits().restricted()) && !denied.contains(action);
  }

  /** Applies the policy to a raw bridge frame (send or publish) in place. */
  public void apply(JsonObject frame) {
    Object h = frame.getValue("headers");
    JsonObject headers = h instanceof JsonObject ? (JsonObject) h : new JsonObject();
    frame.put("headers", headers);
    Object presented = headers.remove(TOKEN_HEADER);
    // event-bus headers compare case-insensitively: no spelling of these reaches the service from a client
    headers.fieldNames().removeIf(n -> n.equalsIgnoreCase(TOKEN_HEADER) || n.equalsIgnoreCase(REFUSED_HEADER) || n.equalsIgnoreCase(INVALID_HEADER));
    if (h != null && !(h instanceof JsonObject)) {
      headers.put(INVALID_HEADER, "'headers' must be a JSON object of strings");
      return;
    }
    String malformed = malformedHeaders(headers);
    String action;
    try {
      action = ActionHeader.of(headers);
    } catch (OperationException e) {
      // the service answers the refusal under one unambiguous name
      headers.fieldNames().removeIf(ActionHeader.NAME::equalsIgnoreCase);
      headers.put(ActionHeader.NAME, "request");
      headers.put(INVALID_HEADER, malformed != null ? malformed : e.getMessage());
      return;
    }
    if (malformed != null) {
      headers.put(INVALID_HEADER, malformed);
      return;
    }
    if (token != null && !token.equals(presented)) {
      headers.put(REFUSED_HEADER, presented == null ? "this bridge requires a 'token' header" : "wrong 'token' header");
      return;
    }
    String refusal = refusal(action, frame.getValue("body"), "");
    if (refusal != null) {
      headers.put(REFUSED_HEADER, refusal);
    }
  }

  /**
   * Removes every header the bridges would mishandle and says why the first one is wrong; null when
   * all are fine. The TCP bridge casts {@code timeout} to a number, {@code localOnly} to a boolean
   * and every other value to a string, and throws without answering when a cast fails; the SockJS
   * bridge throws on a null value; an unknown {@code codecName} fails the send with no reply either.
   * A non-string {@code action} is left to {@link ActionHeader}, which names the problem.
   */
  private static String malformedHeaders(JsonObject headers) {
    String first = null;
    for (String name : new ArrayList<>(headers.fieldNames())) {
      Object value = headers.getValue(name);
      String problem;
      if (name.equals("timeout")) {
        problem = isMillis(value) ? null : "the 'timeout' header must be a JSON number of milliseconds, at least 1, got " + abbreviate(value);
      } else if (name.equals("localOnly")) {
        problem = value instanceof Boolean ? null : "the 'localOnly' header must be true or false, got " + abbreviate(value);
      } else if (name.equals("codecName")) {
        problem = "the 'codecName' header is not accepted from bridge clients (messages are JSON)";
      } else if (name.equalsIgnoreCase(ActionHeader.NAME)) {
        problem = null;
      } else {
        problem = value instanceof String ? null : "the '" + abbreviate(name) + "' header must be a string, got " + abbreviate(value);
      }
      if (problem != null) {
        headers.remove(name);
        first = first == null ? problem : first;
      }
    }
    return first;
  }

  private static boolean isMillis(Object value) {
    if (!(value instanceof Number)) {
      return false;
    }
    double d = ((Number) value).doubleValue();
    return d >= 1 && d <= Long.MAX_VALUE && d == Math.rint(d);
  }

  /** Why {@code action} with this body is refused (itself, or an operation it carries), or null. */
  private String refusal(String action, Object body, String where) {
    if (!permits(action)) {
      return "action '" + action + "'" + where + " is not allowed to bridge clients (bridges.allowedActions)";
    }
    ActionSpec spec = actions.find(action);
    if (spec == null || !(body instanceof JsonObject)) {
      return null; // the service refuses it as malformed
    }
    for (Param p : spec.params()) {
      Object ops = ((JsonObject) body).getValue(p.name());
      if (p.type() != WireType.OPERATIONS || !(ops instanceof JsonArray)) {
        continue;
      }
      JsonArray list = (JsonArray) ops;
      for (int i = 0; i < list.size(); i++) {
        Object op = list.getValue(i);
        if (op instanceof JsonObject && ((JsonObject) op).getValue(Slots.ACTION) instanceof String) {
          String nested = refusal(((JsonObject) op).getString(Slots.ACTION), ((JsonObject) op).getValue(Slots.ARGS),
              " (operation #" + i + " of " + action + ")");
          if (nested != null) {
            return nested;
          }
        }
      }
    }
    return null;
  }

  private static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
