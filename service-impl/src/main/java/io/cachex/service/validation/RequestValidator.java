package io.cachex.service.validation;

import io.cachex.api.CachexError;
import io.cachex.service.bridge.BridgePolicy;
import io.cachex.service.validation.OperationCatalog.Operation;
import io.cachex.service.validation.OperationCatalog.Param;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.HelperUtils;
import io.vertx.serviceproxy.ServiceException;
import io.vertx.serviceproxy.ServiceInterceptor;

import java.util.Map;

/**
 * Checks every message before the generated handler sees it: a known action, each required field
 * present, each field of the JSON type its parameter needs. The generated handler would otherwise
 * cast blindly and answer a bridge client with a NullPointerException or ClassCastException.
 * Integral numbers are normalised to the width the handler reads, so {@code 1.0} or a Long where
 * an Integer is expected are accepted.
 */
public final class RequestValidator implements ServiceInterceptor {
  private final OperationCatalog catalog;
  private final int maxItemsPerCall;

  public RequestValidator(OperationCatalog catalog, int maxItemsPerCall) {
    this.catalog = catalog;
    this.maxItemsPerCall = maxItemsPerCall;
  }

  @Override
  public Future<Message<JsonObject>> intercept(Vertx vertx, Map<String, Object> context, Message<JsonObject> msg) {
    String action = msg.headers().get("action");
    String refused = msg.headers().get(BridgePolicy.REFUSED_HEADER);
    if (refused != null) {
      return refuse(msg, CachexError.FORBIDDEN.exception(action == null ? "request" : action, null, refused));
    }
    String invalidHeader = msg.headers().get(BridgePolicy.INVALID_HEADER);
    if (invalidHeader != null) {
      return refuse(msg, CachexError.INVALID_ARGUMENT.exception(action == null ? "request" : action, null, invalidHeader));
    }
    if (action == null || action.isEmpty()) {
      return refuse(msg, CachexError.INVALID_ARGUMENT.exception("request", null, "missing 'action' header naming the operation"));
    }
    Operation op = catalog.find(action);
    if (op == null) {
      return refuse(msg, CachexError.INVALID_ARGUMENT.exception(action, null, "unknown action '" + action + "' (see docs/PROTOCOL.md)"));
    }
    Object raw = msg.body();
    if (!(raw instanceof JsonObject)) {
      return refuse(msg, CachexError.INVALID_ARGUMENT.exception(action, null, "the message body must be a JSON object of fields"));
    }
    JsonObject body = (JsonObject) raw;
    Problem problem = problem(op, body, maxItemsPerCall);
    if (problem != null) {
      Object key = body.getValue("key");
      return refuse(msg, problem.code().exception(action, key instanceof String ? (String) key : null, problem.detail()));
    }
    return Future.succeededFuture(msg);
  }

  /** Why a call is refused: the code and a message naming the field. */
  public record Problem(CachexError code, String detail) {
  }

  /**
   * What is wrong with the fields of one call of {@code op}, or null when they are fine (integral
   * numbers are normalised in place). Also used for each operation of a pipeline.
   */
  public static Problem problem(Operation op, JsonObject body, int maxItemsPerCall) {
    for (Param p : op.params()) {
      String problem = check(body, p);
      if (problem != null) {
        return new Problem(CachexError.INVALID_ARGUMENT, problem);
      }
      if (tooMany(body.getValue(p.name()), maxItemsPerCall)) {
        return new Problem(CachexError.TOO_LARGE, "field '" + p.name() + "' has more than limits.maxItemsPerCall " + maxItemsPerCall + " items");
      }
    }
    return null;
  }

  private static String check(JsonObject body, Param p) {
    Object v = body.getValue(p.name());
    if (v == null) {
      if (!p.required() && p.kind() == OperationCatalog.Kind.STRING_ARRAY) {
        // the generated handler reads lists without a null check; an absent optional list is an empty one
        body.put(p.name(), new JsonArray());
      }
      return p.required() ? "missing field '" + p.name() + "' (" + describe(p.kind()) + ")" : null;
    }
    switch (p.kind()) {
      case STRING:
        if (!(v instanceof String)) {
          return wrongType(p);
        }
        if ("key".equals(p.name()) && ((String) v).isEmpty()) {
          return "field 'key' must be a non-empty string";
        }
        return null;
      case INTEGER:
        if (!(v instanceof Number) || !isIntegral((Number) v)) {
          return wrongType(p);
        }
        Number n = (Number) v;
        if ((p.type() == Integer.class || p.type() == int.class) && (n.longValue() > Integer.MAX_VALUE || n.longValue() < Integer.MIN_VALUE)) {
          return "field '" + p.name() + "' is out of range";
        }
        body.put(p.name(), n.longValue()); // the handler reads getLong()
        return null;
      case NUMBER:
        return v instanceof Number ? null : wrongType(p);
      case BOOLEAN:
        return v instanceof Boolean ? null : wrongType(p);
      case OBJECT:
        return v instanceof JsonObject ? null : wrongType(p);
      case OPTIONS:
        return v instanceof JsonObject ? OptionFields.check(p.name(), p.type(), (JsonObject) v) : wrongType(p);
      case ARRAY:
        return v instanceof JsonArray ? null : wrongType(p);
      case STRING_ARRAY:
        if (!(v instanceof JsonArray)) {
          return wrongType(p);
        }
        boolean keys = p.name().toLowerCase().contains("key");
        for (Object e : (JsonArray) v) {
          if (!(e instanceof String) || (keys && ((String) e).isEmpty())) {
            return "field '" + p.name() + "' must be an array of " + (keys ? "non-empty " : "") + "strings";
          }
        }
        return null;
      default:
        return null;
    }
  }

  /**
   * Answers the message with the coded ServiceException itself, as the generated handler does, so
   * Java callers get a ServiceException (with debug info) for refused input too; the interceptor chain
   * would only send a bare failure code and message. The returned future never completes: the
   * message has been answered and must not reach the service.
   */
  private static Future<Message<JsonObject>> refuse(Message<JsonObject> msg, ServiceException failure) {
    HelperUtils.manageFailure(msg, failure, true);
    return Promise.<Message<JsonObject>>promise().future();
  }

  private static boolean tooMany(Object v, int maxItemsPerCall) {
    return (v instanceof JsonArray && ((JsonArray) v).size() > maxItemsPerCall)
        || (v instanceof JsonObject && ((JsonObject) v).size() > maxItemsPerCall);
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return true;
    }
    double d = n.doubleValue();
    return !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e15;
  }

  private static String wrongType(Param p) {
    return "field '" + p.name() + "' must be " + describe(p.kind());
  }

  static String describe(OperationCatalog.Kind kind) {
    switch (kind) {
      case STRING: return "a string";
      case INTEGER: return "an integer";
      case NUMBER: return "a number";
      case BOOLEAN: return "true or false";
      case OBJECT: return "a JSON object";
      case OPTIONS: return "an options object";
      case ARRAY: return "a JSON array";
      case STRING_ARRAY: return "an array of strings";
      default: return kind.name();
    }
  }
}
