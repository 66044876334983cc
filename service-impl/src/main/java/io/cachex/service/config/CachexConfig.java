package io.cachex.service.config;

import io.cachex.api.CachexService;
import io.cachex.api.config.ConfigException;
import io.cachex.api.config.ConfigSection;
import io.cachex.service.ops.StampedePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The service configuration: one JSON object, every option optional (docs/CONFIGURATION.md lists
 * each with its default). Parsed once at deploy time; a wrong value or an unknown option fails the
 * deployment with a {@link ConfigException} naming the option by its path.
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
  /** Server-assisted invalidations for near caches (option section {@code nearCache}). */
  public final NearCacheConfig nearCache;

  /** Reads and checks a service configuration: a wrong value or an unknown option is a {@link ConfigException}. */
  public CachexConfig(JsonObject json) {
    this(ConfigSection.root(json), true);
  }

  /**
   * Reads the service's options from {@code root}, leaving unknown keys for the caller to refuse once every
   * reader of the same configuration (the launcher's sections, for example) has run.
   */
  public CachexConfig(ConfigSection root) {
    this(root, false);
  }

  private CachexConfig(ConfigSection root, boolean rejectUnknown) {
    ConfigSection j = root;
    this.json = new JsonObject();
    address = j.string("address", CachexService.DEFAULT_ADDRESS);
    keyPrefix = j.string("keyPrefix", "");
    version = j.integer("version", 1, Integer.MIN_VALUE);
    keyFunction = j.string("keyFunction", "io.cachex.service.keys.PrefixVersionKeyFunction");
    defaultTimeout = j.nullableNumber("defaultTimeoutSeconds", 300);
    codec = codec(j.section("codec"));
    ignoreExceptions = j.bool("ignoreExceptions", false);
    logIgnoredExceptions = j.bool("logIgnoredExceptions", false);
    maxBlockingTimeout = j.number("maxBlockingTimeoutSeconds", 25);
    if (!(maxBlockingTimeout > 0)) {
      throw new ConfigException(j.describe("maxBlockingTimeoutSeconds") + " must be a positive number of seconds");
    }
    redis = new RedisConfig(j.section("redis"));
    nearCache = new NearCacheConfig(j.section("nearCache"), address);
    limits = new Limits(j.section("limits"));
    scripts = j.map("scripts");
    allowAdHocScripts = j.bool("allowAdHocScripts", true);
    maxScriptBytes = j.integer("maxScriptBytes", 64 * 1024, 1);
    try {
      j.passThrough("stampede", false); // true, false or {buffer, beta, delta}: checked by StampedePolicy
      stampede = StampedePolicy.fromConfig(j.rawJson().getValue("stampede"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    for (String name : scripts.fieldNames()) {
      if (!(scripts.getValue(name) instanceof String)) {
        throw new ConfigException("config option 'scripts' must map names to Lua source strings ('" + name + "')");
      }
    }
    for (String option : SERVICE_OPTIONS) {
      if (root.has(option)) {
        json.put(option, copy(root.rawJson().getValue(option)));
      }
    }
    if (rejectUnknown) {
      root.rejectUnknown();
    }
  }

  /** Top-level options the service reads; the launcher hands the service these and nothing else. */
  public static final List<String> SERVICE_OPTIONS = List.of("address", "keyPrefix", "version", "keyFunction",
      "defaultTimeoutSeconds", "codec", "ignoreExceptions", "logIgnoredExceptions", "maxBlockingTimeoutSeconds", "redis",
      "limits", "scripts", "allowAdHocScripts", "maxScriptBytes", "stampede", "nearCache");

  /** The codec options are interpreted by ValueCodec; here only their names are checked. */
  private static JsonObject codec(ConfigSection c) {
    c.passThrough("serializers", "[\"json\"]");
    c.passThrough("serializer", "[\"json\"]");
    c.passThrough("compressors", "[\"lz4\"]");
    c.passThrough("compressor", "[\"lz4\"]");
    c.passThrough("compressMinLength", 256);
    c.passThrough("maxDecompressedBytes", 8388608);
    return c.rawJson();
  }

  /** Bounds on what one request may carry; over them a request fails with TOO_LARGE before anything is written. */
  public static final class Limits {
    /** Longest caller key, in characters. */
    public final int maxKeyLength;
    /** Largest stored value after serialization and compression, in bytes. */
    public final int maxValueBytes;
    /** Most keys, members, fields or entries in one call. */
    public final int maxItemsPerCall;
    /** How long a script may run before the service stops it with SCRIPT KILL. */
    public final long scriptTimeoutMs;

    Limits(ConfigSection j) {
      maxKeyLength = j.integer("maxKeyLength", 1024, 1);
      maxValueBytes = j.integer("maxValueBytes", 16 * 1024 * 1024, 1);
      maxItemsPerCall = j.integer("maxItemsPerCall", 100_000, 1);
      scriptTimeoutMs = j.integer("scriptTimeoutMs", 5000, 1);
    }
  }

  /**
   * Invalidations for near caches: with {@code enabled}, every service instance keeps a tracking
   * connection per primary (client tracking in broadcast mode on the key prefix) and publishes the caller
   * keys that changed, and its heartbeats, on {@code invalidationAddress}.
   */
  public static final class NearCacheConfig {
    public final boolean enabled;
    public final String invalidationAddress;
    public final long heartbeatIntervalMs;

    NearCacheConfig(ConfigSection j, String serviceAddress) {
      enabled = j.bool("enabled", false);
      String a = j.optionalString("invalidationAddress", "<address>.invalidations");
      invalidationAddress = a != null ? a : serviceAddress + ".invalidations";
      heartbeatIntervalMs = j.integer("heartbeatIntervalMs", 1000, 10);
    }
  }

  /** The service's part of the configuration it was read from. */
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

    RedisConfig(ConfigSection j) {
      type = j.choice("type", "standalone", List.of("standalone", "sentinel", "cluster", "replication"));
      endpoints = RedisUris.check(j, "endpoints");
      masterName = j.string("masterName", "mymaster");
      role = j.choice("role", "master", List.of("master", "replica"));
      useReplicas = j.choice("useReplicas", "never", List.of("never", "share", "always"));
      user = j.string("user", null);
      password = j.string("password", null);
      RedisUris.rememberSecret(password);
      connections = j.integer("connections", 1, 1);
      maxInFlight = j.integer("maxInFlight", 20000, 1);
      commandTimeoutMs = j.integer("commandTimeoutMs", 5000, 1);
      connectTimeoutMs = j.integer("connectTimeoutMs", 2000, 1);
      reconnectDelayMs = j.integer("reconnectDelayMs", 50, 0);
      maxReconnectDelayMs = j.integer("maxReconnectDelayMs", 2000, 0);
      blockingConnections = j.integer("blockingConnections", 256, 1);
      ConfigSection tls = j.section("tls");
      tlsCaFile = tls.string("caFile", null);
      tlsHostnameVerification = tls.bool("hostnameVerification", true);
      topologyRefreshIntervalMs = j.integer("topologyRefreshIntervalMs", 1000, 1);
      replicaAcks = j.integer("replicaAcks", 0, 0);
      replicaAckTimeoutMs = j.integer("replicaAckTimeoutMs", (int) Math.min(1000, commandTimeoutMs / 2), 1);
      if (replicaAcks > 0 && replicaAckTimeoutMs >= commandTimeoutMs) {
        throw new ConfigException(j.describe("replicaAckTimeoutMs") + " must be below redis.commandTimeoutMs");
      }
      if (replicaAcks > 0 && "cluster".equals(type)) {
        // the cluster client sends a key-less WAIT to any node, not to the one that took the writes
        throw new ConfigException(j.describe("replicaAcks") + " is not supported with redis.type cluster");
      }
    }
  }

  private static Object copy(Object v) {
    return v instanceof JsonObject ? ((JsonObject) v).copy() : v instanceof JsonArray ? ((JsonArray) v).copy() : v;
  }
}
