package io.cachex.api.contract;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields of the JSON-backed data objects of the contract (options, leases), read from their
 * setters: {@code setFencingToken(Long)} means field {@code fencingToken}, an integer. Their JSON
 * is checked against it, so an unknown or mistyped field is refused naming it instead of being
 * ignored or failing inside the service.
 */
final class DataObjects {
  private static final Map<Class<?>, Map<String, Class<?>>> FIELDS = new ConcurrentHashMap<>();

  private DataObjects() {
  }

  static boolean is(Class<?> type) {
    return type.isAnnotationPresent(DataObject.class);
  }

  /** Field name → boxed Java type. */
  static Map<String, Class<?>> fields(Class<?> type) {
    return FIELDS.computeIfAbsent(type, DataObjects::read);
  }

  /** Checks {@code json} as a {@code type} named {@code param}: no unknown field, each of its type. */
  static void check(String param, Class<?> type, JsonObject json) {
    Map<String, Class<?>> fields = fields(type);
    for (String name : json.fieldNames()) {
      Class<?> t = fields.get(name);
      if (t == null) {
        throw OperationException.invalid("unknown field '" + param + "." + name + "'" + Names.hint(name, fields.keySet())
            + "; " + type.getSimpleName() + " has " + fields.keySet());
      }
      Object v = json.getValue(name);
      if (v != null && !WireType.fits(v, t)) {
        throw OperationException.invalid("field '" + param + "." + name + "' must be " + WireType.describe(t));
      }
    }
  }

  private static Map<String, Class<?>> read(Class<?> type) {
    Map<String, Class<?>> fields = new LinkedHashMap<>();
    for (Method m : type.getMethods()) {
      String n = m.getName();
      boolean setter = m.getParameterCount() == 1 && !Modifier.isStatic(m.getModifiers())
          && n.startsWith("set") && n.length() > 3;
      if (setter) {
        fields.put(Character.toLowerCase(n.charAt(3)) + n.substring(4), WireType.boxed(m.getParameterTypes()[0]));
      }
    }
    return Collections.unmodifiableMap(fields);
  }
}
