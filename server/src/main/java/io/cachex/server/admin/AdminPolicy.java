package io.cachex.server.admin;

import io.cachex.api.Action;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;

import java.util.Set;

/**
 * Which actions an admin UI user may run, read from the actions' traits ({@link Action}): a read-only user the
 * reads, a read-write user the writes too; {@code clear} and {@code deletePattern} only with an explicit
 * confirmation naming them. Never: actions that wait for other clients, scripts, pipelines, {@code close}.
 */
public final class AdminPolicy {
  /** Wipe many keys: run only when the request confirms them by name. */
  public static final Set<String> CONFIRMED = Set.of("clear", "deletePattern");
  /** Run caller code, carry other operations, or are no operation of a key. */
  static final Set<String> NEVER = Set.of("evalScript", "evalNamed", "registerScript", "pipeline", "close");

  private final Actions actions = Actions.cachex();

  /** Why {@code role} may not run {@code action} (with {@code confirm} as given), or null when it may. */
  public String refusal(Role role, String action, String confirm) {
    ActionSpec spec = action == null ? null : actions.find(action);
    if (spec == null) {
      return "unknown action '" + action + "'";
    }
    Action traits = spec.traits();
    if (NEVER.contains(action) || traits.waits()) {
      return "action '" + action + "' is not available in the admin UI";
    }
    if (!spec.reads() && role != Role.READ_WRITE) {
      return "action '" + action + "' writes: the role " + role.configName() + " may only read";
    }
    if (CONFIRMED.contains(action) && !action.equals(confirm)) {
      return "action '" + action + "' deletes many keys: confirm it by sending \"confirm\": \"" + action + "\"";
    }
    return null;
  }

  /** Whether the action may change data (its calls are logged with the user). */
  public boolean writes(String action) {
    ActionSpec spec = actions.find(action);
    return spec != null && !spec.reads();
  }
}
