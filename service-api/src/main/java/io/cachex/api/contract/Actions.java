package io.cachex.api.contract;

import io.cachex.api.CachexService;
import io.vertx.codegen.annotations.GenIgnore;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The catalog of actions: every proxied method of {@link CachexService} (neither static, default
 * nor {@code @GenIgnore}) is an action of the same name, read from the interface itself, so the
 * catalog cannot drift from the contract. Building it checks every action's traits.
 */
public final class Actions {
  private static final Actions CACHEX = new Actions(CachexService.class);

  private final Map<String, ActionSpec> byName;

  Actions(Class<?> contract) {
    Map<String, ActionSpec> m = new TreeMap<>();
    for (Method method : contract.getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.isAnnotationPresent(GenIgnore.class)) {
        continue;
      }
      if (m.put(method.getName(), new ActionSpec(method)) != null) {
        throw new IllegalStateException("two actions named '" + method.getName() + "'");
      }
    }
    this.byName = Collections.unmodifiableMap(m);
  }

  /** The actions of {@link CachexService}. */
  public static Actions cachex() {
    return CACHEX;
  }

  /** The action of that exact name, or null. */
  public ActionSpec find(String name) {
    return byName.get(name);
  }

  /** The action of that name; INVALID_ARGUMENT naming it (and the nearest known one) when unknown. */
  public ActionSpec require(String name) {
    ActionSpec spec = byName.get(name);
    if (spec == null) {
      throw OperationException.invalid("unknown action '" + name + "'" + Names.hint(name, byName.keySet()) + " (see docs/PROTOCOL.md)");
    }
    return spec;
  }

  public Map<String, ActionSpec> all() {
    return byName;
  }
}
