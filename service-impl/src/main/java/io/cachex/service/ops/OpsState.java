package io.cachex.service.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * Per-service state of facets whose mixins (interfaces) cannot hold fields: named scripts, lock
 * waiters. Keyed by the service's {@link Ops}; dropped with it.
 */
public final class OpsState {
  private static final Map<Ops, Map<Class<?>, Object>> STATE = new WeakHashMap<>();

  private OpsState() {
  }

  public static synchronized <T> T of(Ops ops, Class<T> type, Function<Ops, T> create) {
    Map<Class<?>, Object> m = STATE.computeIfAbsent(ops, o -> new HashMap<>());
    Object v = m.get(type);
    if (v == null) {
      v = create.apply(ops);
      m.put(type, v);
    }
    return type.cast(v);
  }
}
