package io.cachex.service.scripts;

import io.vertx.core.json.JsonArray;

import java.util.List;

/** Keys and args as a pre-hook hands them to Redis (args may hold Buffers). */
public record ScriptCall(List<String> keys, JsonArray args) {
}
