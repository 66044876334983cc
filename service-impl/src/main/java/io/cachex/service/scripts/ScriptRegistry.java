package io.cachex.service.scripts;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.dispatch.Runner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.HashMap;
import java.util.Map;

/**
 * The named scripts of a service. Scripts from the configuration ({@code scripts}) are known at start
 * and win; scripts registered by action are kept in Valkey/Redis, in one hash under the service's
 * prefix ({@code <name>} → SHA1, {@code source:<SHA1>} → source), so every instance on every node
 * sees them and they survive a restart. Each call looks the name up (one round trip), so a
 * replacement takes effect for every call that starts after {@code registerScript} replied; sources
 * are cached by SHA1, which never goes stale. Confined to the service instance's event loop.
 */
public final class ScriptRegistry {
  private static final String SOURCE = "source:";

  private final Map<String, LuaScript> configured = new HashMap<>();
  private final Map<String, LuaScript> bySha = new HashMap<>();
  private final String registryKey;
  private final Runner runner;

  public ScriptRegistry(JsonObject configured, String registryKey, Runner runner) {
    this.registryKey = registryKey;
    this.runner = runner;
    configured.forEach(e -> this.configured.put(e.getKey(), new LuaScript(e.getKey(), (String) e.getValue())));
  }

  /** The script of that name: configured, or the one registered now; NOT_FOUND when unknown. */
  public Future<LuaScript> find(String name) {
    LuaScript s = configured.get(name);
    if (s != null) {
      return Future.succeededFuture(s);
    }
    return runner.run(Plan.of(Request.cmd(Command.HGET).arg(registryKey).arg(name), r -> {
      if (r == null) {
        throw new OperationException(CachexError.NOT_FOUND, "no script registered as '" + name + "'");
      }
      return r.toString();
    })).compose(sha -> {
      LuaScript cached = bySha.get(sha);
      if (cached != null) {
        return Future.succeededFuture(cached);
      }
      return runner.run(Plan.of(Request.cmd(Command.HGET).arg(registryKey).arg(SOURCE + sha), r -> {
        if (r == null) {
          throw new OperationException(CachexError.NOT_FOUND, "the source of script '" + name + "' is missing from the registry");
        }
        LuaScript found = new LuaScript(name, r.toString());
        bySha.put(sha, found);
        return found;
      }));
    });
  }

  /**
   * Compiles the script (SCRIPT LOAD reports a syntax error now rather than at the first call), then
   * stores its source and points the name at it, in one HSET; replies with its SHA1.
   */
  public Future<String> register(String name, String source) {
    if (configured.containsKey(name)) {
      return Future.failedFuture(OperationException.invalid("'" + name + "' is a configured script (config 'scripts'); choose another name"));
    }
    LuaScript script = new LuaScript(name, source);
    return runner.run(Plan.of(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source), r -> r.toString()))
        .recover(err -> Future.failedFuture(ScriptReplies.failure(err)))
        .compose(sha -> runner.run(Plan.of(Request.cmd(Command.HSET).arg(registryKey)
            .arg(SOURCE + script.sha1()).arg(source).arg(name).arg(script.sha1()), r -> script.sha1())))
        .onSuccess(sha -> bySha.put(sha, script));
  }
}
