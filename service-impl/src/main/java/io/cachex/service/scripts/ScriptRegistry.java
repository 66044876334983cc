package io.cachex.service.scripts;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.dispatch.Runner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.HashMap;
import java.util.Map;

/**
 * The named scripts of a service address. Scripts from the configuration ({@code scripts}) are
 * known at start and win; scripts registered by action are kept in Valkey/Redis, in one hash under
 * the service's prefix, so every instance on every node sees them and they survive a restart. Each
 * instance caches what it looked up; a registration publishes the name on the event bus
 * ({@code <address>.scripts}) and every instance forgets its cached copy.
 * Confined to the service instance's event loop.
 */
public final class ScriptRegistry {
  private final Map<String, LuaScript> configured = new HashMap<>();
  private final Map<String, LuaScript> cached = new HashMap<>();
  private final Vertx vertx;
  private final String changes;
  private final String registryKey;
  private final Runner runner;
  private MessageConsumer<String> consumer;

  public ScriptRegistry(Vertx vertx, String address, JsonObject configured, String registryKey, Runner runner) {
    this.vertx = vertx;
    this.changes = address + ".scripts";
    this.registryKey = registryKey;
    this.runner = runner;
    configured.forEach(e -> this.configured.put(e.getKey(), new LuaScript(e.getKey(), (String) e.getValue())));
  }

  /** Starts listening for registrations made by other instances. */
  public Future<Void> start() {
    consumer = vertx.eventBus().<String>consumer(changes, msg -> cached.remove(msg.body()));
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** The script of that name: configured, cached, or read from Valkey/Redis; NOT_FOUND when unknown. */
  public Future<LuaScript> find(String name) {
    LuaScript s = configured.get(name);
    if (s == null) {
      s = cached.get(name);
    }
    if (s != null) {
      return Future.succeededFuture(s);
    }
    return runner.run(Plan.of(Request.cmd(Command.HGET).arg(registryKey).arg(name), r -> {
      if (r == null) {
        throw new OperationException(CachexError.NOT_FOUND, "no script registered as '" + name + "'");
      }
      LuaScript found = new LuaScript(name, r.toString());
      cached.put(name, found);
      return found;
    }));
  }

  /**
   * Compiles the script (SCRIPT LOAD reports a syntax error now rather than at the first call),
   * stores it in the registry hash and tells every instance; replies with its SHA1.
   */
  public Future<String> register(String name, String source) {
    if (configured.containsKey(name)) {
      return Future.failedFuture(OperationException.invalid("'" + name + "' is a configured script (config 'scripts'); choose another name"));
    }
    LuaScript script = new LuaScript(name, source);
    Plan<String> load = Plan.of(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source), r -> r.toString());
    return runner.run(load)
        .recover(err -> Future.failedFuture(ScriptReplies.failure(err)))
        .compose(sha -> runner.run(Plan.of(Request.cmd(Command.HSET).arg(registryKey).arg(name).arg(source), r -> sha)))
        .onSuccess(sha -> {
          cached.put(name, script);
          vertx.eventBus().publish(changes, name);
        });
  }
}
