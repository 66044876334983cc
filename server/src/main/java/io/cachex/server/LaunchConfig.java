package io.cachex.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachex.api.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher's configuration: the JSON file given on the command line (if any), then environment
 * overrides, later ones winning:
 * <ul>
 *   <li>{@code CACHEX_CONFIG}: a JSON object deep-merged over the file;</li>
 *   <li>single options, for container platforms: {@link #ENV_OPTIONS}.</li>
 * </ul>
 * A missing or unreadable file and malformed JSON are {@link ConfigException}s that say where.
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private LaunchConfig() {
  }

  /** The file (null: none) with the environment's overrides applied. */
  public static JsonObject load(Path file, Map<String, String> env) {
    JsonObject config = file == null ? new JsonObject() : read(file);
    return applyEnvironment(config, env);
  }

  static JsonObject read(Path file) {
    if (!Files.exists(file)) {
      throw new ConfigException("config file " + file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file " + file + " is not a regular file");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + " (" + e.getMessage() + ")");
    }
    return parse(text, "config file " + file);
  }

  /** {@code text} as a JSON object; {@code source} names it in the message when it is not one. */
  static JsonObject parse(String text, String source) {
    try {
      Object value = JSON.readValue(text, Object.class);
      if (!(value instanceof Map)) {
        throw new ConfigException(source + " must hold a JSON object");
      }
      return new JsonObject(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String reason = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage().split("\n")[0];
      throw new ConfigException(source + " is not valid JSON" + where + ": " + reason);
    }
  }

  /** Applies {@code CACHEX_CONFIG} and the single-option variables to {@code file}. */
  static JsonObject applyEnvironment(JsonObject file, Map<String, String> env) {
    JsonObject config = file.copy();
    String json = env.get("CACHEX_CONFIG");
    if (json != null && !json.isBlank()) {
      config.mergeIn(parse(json, "environment variable CACHEX_CONFIG"), true);
    }
    ENV_OPTIONS.forEach((variable, path) -> {
      String value = env.get(variable);
      if (value == null || value.isBlank()) {
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
      target.put(leaf, "endpoints".equals(leaf) ? new JsonArray().add(value) : value);
    });
    return config;
  }
}
