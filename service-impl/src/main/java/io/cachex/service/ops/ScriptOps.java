package io.cachex.service.ops;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Cmd;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.scripts.LuaScript;
import io.cachex.service.scripts.PostHook;
import io.cachex.service.scripts.PreHook;
import io.cachex.service.scripts.ScriptCall;
import io.cachex.service.scripts.ScriptHelpers;
import io.cachex.service.scripts.ScriptHooks;
import io.cachex.service.scripts.ScriptReplies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lua scripts with hooks (docs/SEMANTICS.md "Scripts"). */
public interface ScriptOps {

  OpContext ctx();

  default Plan<Object> evalScript(String script, List<String> keys, JsonArray args, String preHook, String postHook,
                                  Integer version) {
    OpContext x = ctx();
    if (!x.config.allowAdHocScripts) {
      throw new OperationException(CachexError.FORBIDDEN,
          "ad-hoc scripts are disabled (allowAdHocScripts: false); call a named script with evalNamed");
    }
    LuaScript.checkSize(script, x.config.maxScriptBytes);
    return eval(x, new LuaScript("ad-hoc", script), keys, args, preHook, postHook, version);
  }

  /** The script is looked up first (configured, cached, or from the registry in Valkey/Redis). */
  default Plan<Object> evalNamed(String name, List<String> keys, JsonArray args, String preHook, String postHook,
                                 Integer version) {
    OpContext x = ctx();
    return Plan.deferred(x.scripts.find(name).map(s -> eval(x, s, keys, args, preHook, postHook, version)));
  }

  default Plan<String> registerScript(String name, String source) {
    OpContext x = ctx();
    if (!x.config.allowAdHocScripts) {
      throw new OperationException(CachexError.FORBIDDEN,
          "script registration is disabled (allowAdHocScripts: false); configure named scripts under 'scripts'");
    }
    LuaScript.checkSize(source, x.config.maxScriptBytes);
    return Plan.steps(runner -> x.scripts.register(name, source));
  }

  private static Plan<Object> eval(OpContext x, LuaScript script, List<String> keys, JsonArray args, String preHook,
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
    return Plan.each(List.of(Cmd.script(script, k, arguments(a))), replies -> {
      if (replies.get(0).failed()) {
        throw ScriptReplies.failure(replies.get(0).cause());
      }
      Object raw = ScriptReplies.raw(replies.get(0).result());
      return ScriptReplies.finish(post == null ? raw : post.apply(h, raw));
    });
  }

  /**
   * Script arguments as Redis strings: Buffers (encoded values) as bytes, JSON objects and arrays as
   * JSON text, everything else as its text; null is refused.
   */
  private static List<Object> arguments(JsonArray args) {
    List<Object> out = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      Object a = args.getList().get(i); // raw: getValue would turn Buffers into base64
      if (a == null) {
        throw OperationException.invalid("args[" + i + "] is null: Redis arguments are strings (use full_encode_pre to encode values)");
      } else if (a instanceof Buffer) {
        out.add(a);
      } else if (a instanceof byte[]) {
        out.add(Buffer.buffer((byte[]) a));
      } else if (a instanceof JsonObject || a instanceof JsonArray) {
        out.add(a.toString());
      } else if (a instanceof Map || a instanceof List) {
        out.add(Json.encode(a)); // a JSON object or array decoded from a clustered bus message
      } else {
        out.add(String.valueOf(a));
      }
    }
    return out;
  }
}
