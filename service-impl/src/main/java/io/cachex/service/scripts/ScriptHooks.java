package io.cachex.service.scripts;

import io.cachex.api.contract.OperationException;
import io.vertx.core.json.JsonArray;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hooks by name. {@link #global()} holds the built-ins and hooks every service of this JVM sees;
 * {@link #forService(String)} holds hooks of the services registered at one address, looked up
 * before the global ones. Register before callers name them; registration is thread-safe.
 */
public final class ScriptHooks {
  private static final ScriptHooks GLOBAL = new ScriptHooks(null);
  private static final Map<String, ScriptHooks> BY_ADDRESS = new ConcurrentHashMap<>();

  static {
    GLOBAL.registerPreHook("keys_only_pre", (h, keys, args) -> new ScriptCall(h.makeKeys(keys), args));
    GLOBAL.registerPreHook("full_encode_pre", (h, keys, args) -> new ScriptCall(h.makeKeys(keys), h.encodeValues(args)));
    GLOBAL.registerPostHook("decode_single_post", (h, r) -> h.decode(r));
    GLOBAL.registerPostHook("decode_list_post", (h, r) -> r == null ? new JsonArray() : h.decodeValues(list(r)));
    GLOBAL.registerPostHook("decode_list_or_none_post", (h, r) -> r == null ? null : h.decodeValues(list(r)));
    GLOBAL.registerPostHook("noop_post", (h, r) -> r);
  }

  private final ScriptHooks parent;
  private final Map<String, PreHook> pre = new ConcurrentHashMap<>();
  private final Map<String, PostHook> post = new ConcurrentHashMap<>();

  private ScriptHooks(ScriptHooks parent) {
    this.parent = parent;
  }

  public static ScriptHooks global() {
    return GLOBAL;
  }

  /** Hooks only the services at {@code address} see (they win over global hooks of the same name). */
  public static ScriptHooks forService(String address) {
    return BY_ADDRESS.computeIfAbsent(address, a -> new ScriptHooks(GLOBAL));
  }

  /** Static shortcut: registers a JVM-wide pre-hook. */
  public static void registerGlobalPreHook(String name, PreHook hook) {
    GLOBAL.registerPreHook(name, hook);
  }

  /** Static shortcut: registers a JVM-wide post-hook. */
  public static void registerGlobalPostHook(String name, PostHook hook) {
    GLOBAL.registerPostHook(name, hook);
  }

  public ScriptHooks registerPreHook(String name, PreHook hook) {
    pre.put(name, hook);
    return this;
  }

  public ScriptHooks registerPostHook(String name, PostHook hook) {
    post.put(name, hook);
    return this;
  }

  /** The pre-hook of that name; INVALID_ARGUMENT naming it when unknown. */
  public PreHook preHook(String name) {
    PreHook h = pre.get(name);
    if (h == null && parent != null) {
      h = parent.pre.get(name);
    }
    if (h == null) {
      throw OperationException.invalid("unknown preHook '" + name + "'");
    }
    return h;
  }

  public PostHook postHook(String name) {
    PostHook h = post.get(name);
    if (h == null && parent != null) {
      h = parent.post.get(name);
    }
    if (h == null) {
      throw OperationException.invalid("unknown postHook '" + name + "'");
    }
    return h;
  }

  private static JsonArray list(Object r) {
    if (r instanceof JsonArray) {
      return (JsonArray) r;
    }
    throw OperationException.invalid("the script returned " + r.getClass().getSimpleName() + ", the post-hook expects a list");
  }
}
