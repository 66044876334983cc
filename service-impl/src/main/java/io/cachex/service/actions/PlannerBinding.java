package io.cachex.service.actions;

import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.cachex.service.dispatch.Plan;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each action's planner: the method of {@link Planners} with the action's name and parameter types,
 * returning a {@link Plan}. Checked for every action when the service starts (and by the build), so
 * an action without a planner never reaches a caller.
 */
final class PlannerBinding {
  private static final PlannerBinding INSTANCE = new PlannerBinding(Actions.cachex());

  private final Map<String, Method> planners = new HashMap<>();

  PlannerBinding(Actions actions) {
    List<String> missing = new ArrayList<>();
    for (ActionSpec spec : actions.all().values()) {
      try {
        Method m = Planners.class.getMethod(spec.name(), spec.method().getParameterTypes());
        if (m.getReturnType() != Plan.class) {
          missing.add(spec.name() + " (returns " + m.getReturnType().getSimpleName() + ", not Plan)");
        }
        m.setAccessible(true);
        planners.put(spec.name(), m);
      } catch (NoSuchMethodException e) {
        missing.add(spec.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("actions without a planner in service-impl: " + missing);
    }
  }

  static PlannerBinding get() {
    return INSTANCE;
  }

  /** The plan of one call; exceptions of the planner (bad arguments) are thrown as they are. */
  Plan<?> plan(ActionSpec spec, Planners on, Object[] args) {
    try {
      return (Plan<?>) planners.get(spec.name()).invoke(on, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
