package io.cachex.service.config;

import io.cachex.api.CachexService;
import io.cachex.service.ops.StampedePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The service configuration: one JSON object, every option optional (docs/CONFIGURATION.md lists
 * each with its default). Parsed once at deploy time; a wrong type fails the deployment with a
 * message naming the option.
 */
public final class CachexConfig {
  private final JsonObject json;

  public final String address;
  public final String keyPrefix;
  public final int version;
  public final String keyFunction;
  /** Default timeout in seconds; null = never expire. */
  public final Double defaultTimeout;
  public final JsonObject codec;
  public final boolean ignoreExceptions;
  public final boolean logIgnoredExceptions;
  /**
   * Longest server-side wait of a blocking list op (blpop, brpop, blmove), in seconds; a timeout of 0
   * or above it is clamped to it. Keep it below the callers' event-bus request timeout (30 s default).
   */
  public final double maxBlockingTimeout;
  public final RedisConfig redis;
  public final Limits limits;
  /** Named Lua scripts registered at start: name → source. */
  public final JsonObject scripts;
  /** Whether evalScript/registerScript accept script text from callers. */
  public final boolean allowAdHocScripts;
  /** Largest script source in bytes (UTF-8). */
  public final int maxScriptBytes;
  /** Probabilistic early expiry for calls that do not choose (option {@code stampede}); null when off. */
  public final StampedePolicy stampede;

  public CachexConfig(JsonObject json) {
    this.json = json == null ? new JsonObject() : json.copy();
    JsonObject j = this.json;
    address = string(j, "address", CachexService.DEFAULT_ADDRESS);
    keyPrefix = string(j, "keyPrefix", "");
    version = (int) number(j, "version", 1);
    keyFunction = string(j, "keyFunction", "io.cachex.service.keys.PrefixVersionKeyFunction");
    defaultTimeout = j.containsKey("defaultTimeout") && j.getValue("defaultTimeout") == null ? null : number(j, "defaultTimeout", 300);
    codec = object(j, "codec");
    ignoreExceptions = bool(j, "ignoreExceptions", false);
    logIgnoredExceptions = bool(j, "logIgnoredExceptions", false);
    maxBlockingTimeout = number(j, "maxBlockingTimeout", 25);
    if (!(maxBlockingTimeout > 0)) {
      throw new IllegalArgumentException("config option 'maxBlockingTimeout' must be a positive number of seconds");
    }
    redis = new RedisConfig(object(j, "redis"));
    limits = new Limits(object(j, "limits"));
    scripts = object(j, "scripts");
    allowAdHocScripts = bool(j, "allowAdHocScripts", true);
    maxScriptBytes = (int) number(j, "maxScriptBytes", 64 * 1024);
    stampede = StampedePolicy.fromConfig(j.getValue("stampede"));
    for (String name : scripts.fieldNames()) {
      if (!(scripts.getValue(name) instanceof String)) {
        throw new IllegalArgumentException("config option 'scripts' must map names to Lua source strings ('" + name + "')");
      }
    }
  }

  /** Bounds on what one request may carry; over them a request fails with TOO_LARGE before anything is written. */
  public static final class Limits {
    /** Longest caller key, in characters. */
    public final int maxKeyLength;
    /** Largest stored value after serialization and compression, in bytes. */
    public final int maxValueBytes;
    /** Most keys, members, fields or entries in one call. */
    public final int maxItemsPerCall;
    /** How long a script may run before the service stops it with SCRIPT KILL, in ms. */
    public final long scriptTimeoutMs;

    Limits(JsonObject j) {
      maxKeyLength = (int) number(j, "maxKeyLength", 1024);
      maxValueBytes = (int) number(j, "maxValueBytes", 16 * 1024 * 1024);
      maxItemsPerCall = (int) number(j, "maxItemsPerCall", 100_000);
      scriptTimeoutMs = (long) number(j, "scriptTimeout", 5000);
      if (scriptTimeoutMs < 1) {
        throw new IllegalArgumentException("config option 'limits.scriptTimeout' must be a positive number of milliseconds");
      }
    }
  }

  public JsonObject toJson() {
    return json.copy();
  }

  /** Settings of the connection to Valkey/Redis. */
  public static final class RedisConfig {
    /** standalone | sentinel | cluster | replication */
    public final String type;
    /** Connection strings; empty means "not configured" (the launcher then starts an embedded server). */
    public final List<String> endpoints;
    public final String masterName;
    public final String role;
    public final String useReplicas;
    public final String user;
    public final String password;
    /** Pipelined command connections per service instance. */
    public final int connections;
    /** Requests waiting for a reply per service instance before new ones fail with OVERLOADED. */
    public final int maxInFlight;
    public final long commandTimeoutMs;
    public final long connectTimeoutMs;
    public final long reconnectDelayMs;
    public final long maxReconnectDelayMs;
    /** Connections reserved for blocking list commands. */
    public final int blockingConnections;
    /** PEM file of the CA(s) that sign the server's certificate, for {@code rediss://}; null = the JVM's trust store. */
    public final String tlsCaFile;
    /** Whether the server certificate must name the host of the endpoint (HTTPS-style check). */
    public final boolean tlsHostnameVerification;
    /** How often the sentinels are asked again (backstop for missed announcements) or the Cluster slot map compared. */
    public final long topologyRefreshIntervalMs;
    /** Replicas that must confirm a write (WAIT) before it is acknowledged; 0 = off. */
    public final int replicaAcks;
    /** How long a write waits for those confirmations. */
    public final long replicaAckTimeoutMs;

    RedisConfig(JsonObject j) {
      type = string(j, "type", "standalone");
      endpoints = endpoints(j);
      masterName = string(j, "masterName", "mymaster");
      role = string(j, "role", "master");
      useReplicas = string(j, "useReplicas", "never");
      user = string(j, "user", null);
      password = string(j, "password", null);
      connections = (int) number(j, "connections", 1);
      maxInFlight = (int) number(j, "maxInFlight", 20000);
      commandTimeoutMs = (long) number(j, "commandTimeout", 5000);
      connectTimeoutMs = (long) number(j, "connectTimeout", 2000);
      reconnectDelayMs = (long) number(j, "reconnectDelay", 50);
      maxReconnectDelayMs = (long) number(j, "maxReconnectDelay", 2000);
      blockingConnections = (int) number(j, "blockingConnections", 256);
      JsonObject tls = object(j, "tls");
      tlsCaFile = string(tls, "caFile", null);
      tlsHostnameVerification = bool(tls, "hostnameVerification", true);
      topologyRefreshIntervalMs = (long) number(j, "topologyRefreshInterval", 1000);
      replicaAcks = (int) number(j, "replicaAcks", 0);
      replicaAckTimeoutMs = (long) number(j, "replicaAckTimeout", Math.min(1000, commandTimeoutMs / 2));
      if (connections < 1 || maxInFlight < 1 || commandTimeoutMs < 1 || blockingConnections < 1 || topologyRefreshIntervalMs < 1) {
        throw new IllegalArgumentException("redis.connections, maxInFlight, commandTimeout, blockingConnections and"
            + " topologyRefreshInterval must be positive");
      }
      if (replicaAcks < 0 || replicaAckTimeoutMs < 1 || (replicaAcks > 0 && replicaAckTimeoutMs >= commandTimeoutMs)) {
        throw new IllegalArgumentException("redis.replicaAcks must be 0 or more and redis.replicaAckTimeout positive"
            + " and below redis.commandTimeout");
      }
      if (replicaAcks > 0 && "cluster".equalsIgnoreCase(type)) {
        // the cluster client sends a key-less WAIT to any node, not to the one that took the writes
        throw new IllegalArgumentException("redis.replicaAcks is not supported with redis.type cluster");
      }
    }

    private static List<String> endpoints(JsonObject j) {
      List<String> list = new ArrayList<>();
      Object v = j.getValue("endpoints", j.getValue("endpoint"));
      if (v instanceof String) {
        list.add((String) v);
      } else if (v instanceof JsonArray) {
        for (Object e : (JsonArray) v) {
          if (!(e instanceof String)) {
            throw new IllegalArgumentException("redis.endpoints must be strings like redis://host:port");
          }
          list.add((String) e);
        }
      } else if (v != null) {
        throw new IllegalArgumentException("redis.endpoints must be a string or an array of strings");
      }
      return List.copyOf(list);
    }
  }

  private static String string(JsonObject j, String name, String def) {
    Object v = j.getValue(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String)) {
      throw new IllegalArgumentException("config option '" + name + "' must be a string");
    }
    return (String) v;
  }

  private static double number(JsonObject j, String name, double def) {
    Object v = j.getValue(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException("config option '" + name + "' must be a number");
    }
    return ((Number) v).doubleValue();
  }

  private static boolean bool(JsonObject j, String name, boolean def) {
    Object v = j.getValue(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean)) {
      throw new IllegalArgumentException("config option '" + name + "' must be true or false");
    }
    return (Boolean) v;
  }

  private static JsonObject object(JsonObject j, String name) {
    Object v = j.getValue(name);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject)) {
      throw new IllegalArgumentException("config option '" + name + "' must be an object");
    }
    return (JsonObject) v;
  }
}
