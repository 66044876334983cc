package io.cachex.service.ops;

import io.cachex.api.CachexError;
import io.cachex.api.ScriptCommands;
import io.cachex.service.redis.OperationException;
import io.cachex.service.scripts.LuaScript;
import io.cachex.service.scripts.NamedScripts;
import io.cachex.service.scripts.PostHook;
import io.cachex.service.scripts.PreHook;
import io.cachex.service.scripts.ScriptCall;
import io.cachex.service.scripts.ScriptHelpers;
import io.cachex.service.scripts.ScriptHooks;
import io.cachex.service.scripts.ScriptRunner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;

import java.util.ArrayList;
import java.util.List;

import static io.vertx.redis.client.Request.cmd;

/** Lua scripts with hooks (SEMANTICS.md "Scripts"). */
public interface ScriptOps extends ScriptCommands {

  Ops ops();

  @Override
  default Future<Object> evalScript(String script, List<String> keys, JsonArray args, String preHook, String postHook,
                                    Integer version) {
    Ops x = ops();
    return x.op("evalScript", null, () -> {
      if (!x.config.allowAdHocScripts) {
        throw new OperationException(CachexError.FORBIDDEN,
            "ad-hoc scripts are disabled (allowAdHocScripts: false); call a named script with evalNamed");
      }
      LuaScript.checkSize(script, x.config.maxScriptBytes);
      return eval(x, new LuaScript("ad-hoc", script), keys, args, preHook, postHook, version);
    });
  }

  @Override
  default Future<Object> evalNamed(String name, List<String> keys, JsonArray args, String preHook, String postHook,
                                   Integer version) {
    Ops x = ops();
    return x.op("evalNamed", name, () -> {
      Ops.requireKey(name, "name");
      LuaScript s = OpsState.of(x, NamedScripts.class, NamedScripts::new).get(name);
      if (s == null) {
        throw new OperationException(CachexError.NOT_FOUND, "no script registered as '" + name + "'");
      }
      return eval(x, s, keys, args, preHook, postHook, version);
    });
  }

  @Override
  default Future<String> registerScript(String name, String source) {
    Ops x = ops();
    return x.op("registerScript", name, () -> {
      Ops.requireKey(name, "name");
      if (!x.config.allowAdHocScripts) {
        throw new OperationException(CachexError.FORBIDDEN,
            "script registration is disabled (allowAdHocScripts: false); configure named scripts under 'scripts'");
      }
      LuaScript.checkSize(source, x.config.maxScriptBytes);
      LuaScript s = new LuaScript(name, source);
      // SCRIPT LOAD compiles it now, so a syntax error is reported at registration
      return x.send(cmd(Command.SCRIPT).arg("LOAD").arg(source))
          .recover(err -> Future.failedFuture(err instanceof io.vertx.redis.client.Response
              ? new OperationException(CachexError.INVALID_ARGUMENT, "script failed: " + err.getMessage()) : err))
          .map(r -> {
            OpsState.of(x, NamedScripts.class, NamedScripts::new).put(s);
            return s.sha1();
          });
    });
  }

  private static Future<Object> eval(Ops x, LuaScript script, List<String> keys, JsonArray args, String preHook,
                                     String postHook, Integer version) {
    ScriptHooks hooks = ScriptHooks.forService(x.config.address);
    PreHook pre = preHook == null ? null : hooks.preHook(preHook);
    PostHook post = postHook == null ? null : hooks.postHook(postHook);
    ScriptHelpers h = new ScriptHelpers(x, x.version(version));
    List<String> k = keys == null ? new ArrayList<>() : keys;
    JsonArray a = args == null ? new JsonArray() : args;
    if (pre != null) {
      ScriptCall call = pre.apply(h, k, a);
      k = call.keys() == null ? new ArrayList<>() : call.keys();
      a = call.args() == null ? new JsonArray() : call.args();
    }
    return ScriptRunner.run(x.redis, script, k, a).map(r -> {
      Object raw = ScriptRunner.raw(r);
      return ScriptRunner.finish(post == null ? raw : post.apply(h, raw));
    });
  }
}
