package io.cachex.service.scripts;

import io.vertx.core.json.JsonArray;

import java.util.List;

/** Rewrites keys and args before a script runs (keys and args may be empty, never null). */
@FunctionalInterface
public interface PreHook {
  ScriptCall apply(ScriptHelpers h, List<String> keys, JsonArray args);
}
