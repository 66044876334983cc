package io.cachex.service.validation;

import io.cachex.api.CachexService;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one catalog of operations: every proxied method of {@link CachexService} is an action, read
 * from the interface itself (compiled with {@code -parameters}), so the catalog cannot drift from
 * the contract. Used to validate bridge messages and by the build's parity test.
 */
public final class OperationCatalog {

  /** The JSON shape a parameter accepts on the wire. */
  public enum Kind {
    STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY, STRING_ARRAY, OPTIONS
  }

  public record Param(String name, Kind kind, boolean required, Class<?> type) {
  }

  public record Operation(String action, List<Param> params, Method method) {
  }

  private static final OperationCatalog INSTANCE = new OperationCatalog(CachexService.class);

  private final Map<String, Operation> operations;

  OperationCatalog(Class<?> contract) {
    Map<String, Operation> ops = new TreeMap<>();
    for (Method m : contract.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.isAnnotationPresent(GenIgnore.class) || m.isDefault()) {
        continue;
      }
      List<Param> params = new ArrayList<>();
      AnnotatedType[] annotated = m.getAnnotatedParameterTypes();
      for (int i = 0; i < m.getParameterCount(); i++) {
        java.lang.reflect.Parameter p = m.getParameters()[i];
        if (!p.isNamePresent()) {
          throw new IllegalStateException("service-api must be compiled with -parameters");
        }
        boolean nullable = annotated[i].isAnnotationPresent(Nullable.class);
        params.add(new Param(p.getName(), kindOf(p.getParameterizedType(), p.getType()), !nullable, p.getType()));
      }
      ops.put(m.getName(), new Operation(m.getName(), List.copyOf(params), m));
    }
    this.operations = Collections.unmodifiableMap(ops);
  }

  public static OperationCatalog get() {
    return INSTANCE;
  }

  public Operation find(String action) {
    return operations.get(action);
  }

  public Map<String, Operation> all() {
    return operations;
  }

  private static Kind kindOf(Type generic, Class<?> raw) {
    if (raw == String.class) {
      return Kind.STRING;
    }
    if (raw == Integer.class || raw == Long.class || raw == int.class || raw == long.class) {
      return Kind.INTEGER;
    }
    if (raw == Double.class || raw == double.class || raw == Float.class) {
      return Kind.NUMBER;
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return Kind.BOOLEAN;
    }
    if (raw == JsonObject.class) {
      return Kind.OBJECT;
    }
    if (raw == JsonArray.class) {
      return Kind.ARRAY;
    }
    if (List.class.isAssignableFrom(raw) || java.util.Set.class.isAssignableFrom(raw)) {
      Type element = generic instanceof ParameterizedType ? ((ParameterizedType) generic).getActualTypeArguments()[0] : Object.class;
      if (element == String.class) {
        return Kind.STRING_ARRAY;
      }
    }
    if (raw.isAnnotationPresent(io.vertx.codegen.annotations.DataObject.class)) {
      return Kind.OPTIONS;
    }
    throw new IllegalStateException("no wire rule for parameter type " + generic);
  }
}
