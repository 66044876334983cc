package io.cachex.server;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher's configuration through vertx-config: the JSON file given on the command line (if
 * any), then environment overrides, later ones winning:
 * <ul>
 *   <li>{@code CACHEX_CONFIG}: a JSON object deep-merged over the file;</li>
 *   <li>single options, for container platforms: {@link #ENV_OPTIONS}.</li>
 * </ul>
 */
public final class LaunchConfig {
  /** Environment variable → config path (dots separate levels). */
  public static final Map<String, String> ENV_OPTIONS = new LinkedHashMap<>();

  static {
    ENV_OPTIONS.put("CACHEX_ADDRESS", "address");
    ENV_OPTIONS.put("CACHEX_KEY_PREFIX", "keyPrefix");
    ENV_OPTIONS.put("CACHEX_REDIS_URI", "redis.endpoints");
    ENV_OPTIONS.put("CACHEX_REDIS_TYPE", "redis.type");
    ENV_OPTIONS.put("CACHEX_REDIS_USER", "redis.user");
    ENV_OPTIONS.put("CACHEX_REDIS_PASSWORD", "redis.password");
    ENV_OPTIONS.put("CACHEX_REDIS_MASTER_NAME", "redis.masterName");
  }

  private LaunchConfig() {
  }

  public static JsonObject load(String file) {
    Vertx vertx = Vertx.vertx();
    try {
      ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
      if (file != null) {
        options.addStore(new ConfigStoreOptions().setType("file").setFormat("json").setConfig(new JsonObject().put("path", file)));
      }
      JsonArray keys = new JsonArray().add("CACHEX_CONFIG");
      ENV_OPTIONS.keySet().forEach(keys::add);
      options.addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("keys", keys).put("raw-data", true)));
      JsonObject merged = ConfigRetriever.create(vertx, options).getConfig().await();
      return applyEnvironment(merged);
    } finally {
      vertx.close();
    }
  }

  /** Moves the flat environment entries the env store added into their places in the config. */
  static JsonObject applyEnvironment(JsonObject merged) {
    JsonObject config = merged.copy();
    Object json = config.remove("CACHEX_CONFIG");
    ENV_OPTIONS.keySet().forEach(config::remove);
    if (json != null) {
      config.mergeIn(new JsonObject(String.valueOf(json)), true);
    }
    ENV_OPTIONS.forEach((env, path) -> {
      Object value = merged.getValue(env);
      if (value == null || String.valueOf(value).isBlank()) {
        return;
      }
      String[] parts = path.split("\\.");
      JsonObject target = config;
      for (int i = 0; i < parts.length - 1; i++) {
        if (!(target.getValue(parts[i]) instanceof JsonObject)) {
          target.put(parts[i], new JsonObject());
        }
        target = target.getJsonObject(parts[i]);
      }
      String leaf = parts[parts.length - 1];
      target.put(leaf, "endpoints".equals(leaf) ? new JsonArray().add(String.valueOf(value)) : String.valueOf(value));
    });
    return config;
  }
}
