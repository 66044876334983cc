package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.util.List;

import static io.cachex.api.Action.Access.WRITE;

/**
 * Lua scripts (docs/SEMANTICS.md "Scripts"). Alone, scripts run by EVALSHA with an EVAL fallback when
 * the node does not know the script yet; inside a pipeline or transaction by EVAL, so that a batch is
 * sent exactly as given. Without a pre-hook, keys and args reach Redis verbatim (strings as
 * they are, numbers and booleans as their decimal/text form, objects and arrays as JSON text).
 * Hooks are named: built-ins {@code keys_only_pre}, {@code full_encode_pre}, {@code decode_single_post},
 * {@code decode_list_post}, {@code decode_list_or_none_post}, {@code noop_post}, plus any registered
 * in the service's JVM.
 * <p>
 * Reply mapping: integer → Long; bulk string → String (or the decoded value with a decode post-hook);
 * array → JsonArray (nested); nil (Lua false/nil) → null; status reply → String. A script error reply
 * fails with INVALID_ARGUMENT carrying Redis' text (WRONGTYPE inside a script stays WRONG_TYPE).
 */
@VertxGen(concrete = false)
public interface ScriptCommands {

  /**
   * Runs ad-hoc Lua text. Fails FORBIDDEN when the service is configured with
   * {@code allowAdHocScripts: false}, TOO_LARGE over {@code maxScriptBytes}.
   */
  @Action(access = WRITE, restricted = true)
  Future<@Nullable Object> evalScript(String script, @Nullable List<String> keys, @Nullable JsonArray args,
                                      @Nullable String preHook, @Nullable String postHook, @Nullable Integer version);

  /**
   * Runs a script registered by name (config {@code scripts} or {@link #registerScript}); NOT_FOUND if
   * unknown. Scripts are classified as writes: they may write, which the service cannot tell.
   */
  @Action(access = WRITE)
  Future<@Nullable Object> evalNamed(String name, @Nullable List<String> keys, @Nullable JsonArray args,
                                     @Nullable String preHook, @Nullable String postHook, @Nullable Integer version);

  /**
   * Registers (or replaces) a named script for every instance of the service, on every node: it is
   * kept in Valkey/Redis under the service's prefix (so it survives a service restart) and checked by
   * compiling it. Replies with its SHA1.
   */
  @Action(access = WRITE, restricted = true, batch = Action.Batch.NONE)
  Future<String> registerScript(String name, String source);

  // ---- Java conveniences ----

  // The generated proxy cannot send a null List (it wraps it in a JsonArray): Java callers pass
  // List.of() for "no keys"; bridge clients may omit the field. These conveniences accept null.

  @GenIgnore
  default Future<@Nullable Object> evalScript(String script, List<String> keys, JsonArray args) {
    return evalScript(script, keys == null ? List.of() : keys, args, null, null, null);
  }

  @GenIgnore
  default Future<@Nullable Object> evalNamed(String name, List<String> keys, JsonArray args) {
    return evalNamed(name, keys == null ? List.of() : keys, args, null, null, null);
  }
}
