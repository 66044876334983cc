package io.cachex.service.scripts;

import io.cachex.service.ops.Ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The named scripts of one service instance: the configured ones plus those registered by action. */
public final class NamedScripts {
  private final Map<String, LuaScript> scripts = new ConcurrentHashMap<>();

  public NamedScripts(Ops ops) {
    for (String name : ops.config.scripts.fieldNames()) {
      scripts.put(name, new LuaScript(name, ops.config.scripts.getString(name)));
    }
  }

  public LuaScript get(String name) {
    return scripts.get(name);
  }

  public void put(LuaScript script) {
    scripts.put(script.name(), script);
  }
}
