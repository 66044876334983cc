package io.cachex.service.validation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Field types of JsonObject-backed options and data objects (SetOptions, LockLease...), read from
 * their getters: {@code Long getFencingToken()} means field {@code fencingToken} must be an integer.
 * Their getters cast blindly, so a bridge client's {@code {"fencingToken": {}}} is refused here,
 * naming the field, instead of failing inside the service.
 */
final class OptionFields {
  private static final Map<Class<?>, Map<String, Class<?>>> FIELDS = new ConcurrentHashMap<>();

  private OptionFields() {
  }

  /** The problem with {@code json} as a {@code type}, or null. */
  static String check(String param, Class<?> type, io.vertx.core.json.JsonObject json) {
    for (Map.Entry<String, Class<?>> f : FIELDS.computeIfAbsent(type, OptionFields::fieldsOf).entrySet()) {
      Object v = json.getValue(f.getKey());
      if (v != null && !fits(v, f.getValue())) {
        return "field '" + param + "." + f.getKey() + "' must be " + describe(f.getValue());
      }
    }
    return null;
  }

  private static Map<String, Class<?>> fieldsOf(Class<?> type) {
    Map<String, Class<?>> fields = new LinkedHashMap<>();
    for (Method m : type.getMethods()) {
      String n = m.getName();
      boolean getter = m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
          && (n.startsWith("get") && n.length() > 3 || n.startsWith("is") && n.length() > 2)
          && m.getDeclaringClass() != Object.class;
      if (getter) {
        String name = n.startsWith("get") ? n.substring(3) : n.substring(2);
        fields.put(Character.toLowerCase(name.charAt(0)) + name.substring(1), box(m.getReturnType()));
      }
    }
    return fields;
  }

  private static boolean fits(Object v, Class<?> type) {
    if (type == String.class) {
      return v instanceof String;
    }
    if (type == Long.class || type == Integer.class) {
      return v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue());
    }
    if (type == Double.class || type == Float.class) {
      return v instanceof Number;
    }
    if (type == Boolean.class) {
      return v instanceof Boolean;
    }
    return true; // JSON values, nested objects: checked where they are used
  }

  private static Class<?> box(Class<?> c) {
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

  private static String describe(Class<?> type) {
    return type == String.class ? "a string" : type == Boolean.class ? "true or false"
        : type == Long.class || type == Integer.class ? "an integer" : "a number";
  }
}
