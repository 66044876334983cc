package io.cachex.api.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one set of wire rules: how each parameter and result type of the contract travels as JSON,
 * both ways. The generated proxy follows the same rules (they are the service-proxy generator's);
 * the service's request handler, the pipeline builder, the pipeline runner and the coalescing proxy
 * use these.
 */
public enum WireType {
  STRING, INT, LONG, DOUBLE, BOOLEAN,
  JSON_OBJECT, JSON_ARRAY,
  /** A single value of any JSON type, boxed as a one-element array ({@code "value": [42]}). */
  BOX,
  /** Operations of a batch: {@code [{"action": name, "args": {fields}}, ...]}. */
  OPERATIONS,
  STRING_LIST, BOOLEAN_LIST,
  DATA_OBJECT,
  /** Results only: nothing. */
  VOID,
  /** Results only: any JSON value. */
  ANY;

  /** Parameter names whose JsonArray is one boxed value. */
  private static final Set<String> BOXES = Set.of("value", "member", "pivot", "defaultValue");

  static WireType ofParam(String name, Type generic, Class<?> raw) {
    if (raw == JsonArray.class) {
      return BOXES.contains(name) ? BOX : "operations".equals(name) ? OPERATIONS : JSON_ARRAY;
    }
    WireType t = of(generic, raw);
    if (t == VOID || t == ANY || t == BOOLEAN_LIST) {
      throw new IllegalStateException("no wire rule for a parameter of type " + generic);
    }
    return t;
  }

  static WireType ofResult(Type generic) {
    Type t = generic instanceof ParameterizedType ? ((ParameterizedType) generic).getActualTypeArguments()[0] : Object.class;
    Class<?> raw = t instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) t).getRawType() : (Class<?>) t;
    return of(t, raw);
  }

  private static WireType of(Type generic, Class<?> raw) {
    if (raw == Void.class) {
      return VOID;
    }
    if (raw == Object.class) {
      return ANY;
    }
    if (raw == String.class) {
      return STRING;
    }
    if (raw == Integer.class) {
      return INT;
    }
    if (raw == Long.class) {
      return LONG;
    }
    if (raw == Double.class) {
      return DOUBLE;
    }
    if (raw == Boolean.class) {
      return BOOLEAN;
    }
    if (raw == JsonObject.class) {
      return JSON_OBJECT;
    }
    if (raw == JsonArray.class) {
      return JSON_ARRAY;
    }
    if (raw == List.class && generic instanceof ParameterizedType) {
      Type e = ((ParameterizedType) generic).getActualTypeArguments()[0];
      if (e == String.class) {
        return STRING_LIST;
      }
      if (e == Boolean.class) {
        return BOOLEAN_LIST;
      }
    }
    if (DataObjects.is(raw)) {
      return DATA_OBJECT;
    }
    throw new IllegalStateException("no wire rule for type " + generic
        + " (use String, Integer, Long, Double, Boolean, JsonObject, JsonArray, List<String> or a @DataObject)");
  }

  // ---- parameters ----

  /**
   * The Java argument for a JSON field (never null here), checked: a wrong type is INVALID_ARGUMENT
   * naming the field. Integral numbers are accepted in any JSON spelling ({@code 1.0}).
   */
  Object decodeArg(Param p, Object v) {
    switch (this) {
      case STRING:
        if (!(v instanceof String)) {
          throw wrongType(p);
        }
        if (p.key() && ((String) v).isEmpty()) {
          throw OperationException.invalid("field '" + p.name() + "' must be a non-empty string");
        }
        return v;
      case INT: {
        long n = integral(p, v);
        if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
          throw OperationException.invalid("field '" + p.name() + "' is out of range");
        }
        return (int) n;
      }
      case LONG:
        return integral(p, v);
      case DOUBLE:
        if (!(v instanceof Number)) {
          throw wrongType(p);
        }
        return ((Number) v).doubleValue();
      case BOOLEAN:
        if (!(v instanceof Boolean)) {
          throw wrongType(p);
        }
        return v;
      case JSON_OBJECT:
        if (!(v instanceof JsonObject)) {
          throw wrongType(p);
        }
        return v;
      case JSON_ARRAY:
      case OPERATIONS:
        if (!(v instanceof JsonArray)) {
          throw wrongType(p);
        }
        return v;
      case BOX:
        if (!(v instanceof JsonArray) || ((JsonArray) v).size() != 1) {
          throw wrongType(p);
        }
        return v;
      case STRING_LIST: {
        if (!(v instanceof JsonArray)) {
          throw wrongType(p);
        }
        JsonArray a = (JsonArray) v;
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
          Object e = a.getValue(i);
          if (!(e instanceof String) || (p.key() && ((String) e).isEmpty())) {
            throw wrongType(p);
          }
          out.add((String) e);
        }
        return out;
      }
      case DATA_OBJECT:
        if (!(v instanceof JsonObject)) {
          throw wrongType(p);
        }
        DataObjects.check(p.name(), p.javaType(), (JsonObject) v);
        return construct(p.javaType(), ((JsonObject) v).copy());
      default:
        throw new IllegalStateException(this + " is not a parameter type");
    }
  }

  /** The JSON form of a Java argument; null stays null. */
  Object encodeArg(Object v) {
    if (v == null) {
      return null;
    }
    switch (this) {
      case STRING_LIST:
        return v instanceof JsonArray ? v : new JsonArray(new ArrayList<>((Collection<?>) v));
      case DATA_OBJECT:
        return toJson(v);
      default:
        return v;
    }
  }

  // ---- results ----

  /** The JSON reply body of a result, typed as the generated proxy reads it. */
  Object encodeResult(Object r) {
    if (r == null || this == VOID) {
      return null;
    }
    switch (this) {
      case INT:
        return ((Number) r).intValue();
      case LONG:
        return ((Number) r).longValue();
      case DOUBLE:
        return ((Number) r).doubleValue();
      case ANY:
        // a top-level integer is always a Long, whichever way it came (a caller's default may be an Integer)
        return r instanceof Integer || r instanceof Short || r instanceof Byte ? (Object) ((Number) r).longValue() : r;
      case STRING_LIST:
      case BOOLEAN_LIST:
        return r instanceof JsonArray ? r : new JsonArray(new ArrayList<>((Collection<?>) r));
      case DATA_OBJECT:
        return toJson(r);
      default:
        return r;
    }
  }

  /**
   * A result as the Java type the method declares, from its JSON form (a reply body, or a slot of a
   * batch reply, where numbers may have changed width on a cluster hop).
   */
  Object decodeResult(Object v, Class<?> javaType) {
    if (v == null || this == VOID) {
      return null;
    }
    switch (this) {
      case INT:
        return ((Number) v).intValue();
      case LONG:
        return ((Number) v).longValue();
      case DOUBLE:
        return ((Number) v).doubleValue();
      case ANY:
        // a top-level integer arrives as a Long; inside a JSON array it may have become an Integer
        return v instanceof Integer || v instanceof Short || v instanceof Byte ? (Object) ((Number) v).longValue() : json(v);
      case JSON_OBJECT:
      case JSON_ARRAY:
        return json(v);
      case STRING_LIST:
      case BOOLEAN_LIST:
        return new ArrayList<>(((JsonArray) json(v)).getList());
      case DATA_OBJECT:
        return construct(javaType, (JsonObject) json(v));
      default:
        return v;
    }
  }

  // ---- helpers ----

  @SuppressWarnings("unchecked")
  private static Object json(Object v) {
    if (v instanceof Map) {
      return new JsonObject((Map<String, Object>) v);
    }
    if (v instanceof List) {
      return new JsonArray((List<Object>) v);
    }
    return v;
  }

  private static long integral(Param p, Object v) {
    if (!(v instanceof Number)) {
      throw wrongType(p);
    }
    Number n = (Number) v;
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    double d = n.doubleValue();
    if (Double.isInfinite(d) || d != Math.rint(d) || Math.abs(d) >= 9.0e15) {
      throw wrongType(p);
    }
    return (long) d;
  }

  private static OperationException wrongType(Param p) {
    return OperationException.invalid("field '" + p.name() + "' must be " + p.type().describe(p));
  }

  /** What a field of this type must be, for error messages. */
  String describe(Param p) {
    switch (this) {
      case STRING: return p.key() ? "a non-empty string" : "a string";
      case INT: case LONG: return "an integer";
      case DOUBLE: return "a number";
      case BOOLEAN: return "true or false";
      case JSON_OBJECT: return "a JSON object";
      case JSON_ARRAY: return "a JSON array";
      case BOX: return "a one-element array [value]";
      case OPERATIONS: return "an array of {\"action\": name, \"args\": {fields}}";
      case STRING_LIST: return p.key() ? "an array of non-empty strings" : "an array of strings";
      case DATA_OBJECT: return "an object " + p.javaType().getSimpleName() + " " + DataObjects.fields(p.javaType()).keySet();
      default: return name();
    }
  }

  static boolean fits(Object v, Class<?> type) {
    if (type == String.class) {
      return v instanceof String;
    }
    if (type == Long.class || type == Integer.class) {
      return v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue());
    }
    if (type == Double.class) {
      return v instanceof Number;
    }
    if (type == Boolean.class) {
      return v instanceof Boolean;
    }
    return true;
  }

  static String describe(Class<?> type) {
    return type == String.class ? "a string" : type == Boolean.class ? "true or false"
        : type == Long.class || type == Integer.class ? "an integer" : type == Double.class ? "a number" : type.getSimpleName();
  }

  static Class<?> boxed(Class<?> c) {
    if (c == long.class) {
      return Long.class;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    return c;
  }

  private static Object construct(Class<?> type, JsonObject json) {
    try {
      return type.getConstructor(JsonObject.class).newInstance(json);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName() + " from JSON", e);
    }
  }

  private static Object toJson(Object v) {
    try {
      return v.getClass().getMethod("toJson").invoke(v);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot convert " + v.getClass().getSimpleName() + " to JSON", e);
    }
  }
}
