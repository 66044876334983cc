package io.cachex.server;

import io.cachex.api.config.ConfigSection;
import io.cachex.server.admin.AdminConfig;
import io.cachex.cluster.ClusterSettings;
import io.cachex.server.bridge.BridgeConfig;
import io.cachex.server.monitoring.MonitoringConfig;
import io.cachex.service.config.CachexConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Everything the launcher reads from one configuration: the service's options ({@link CachexConfig}) and the
 * node's own sections. Reading it checks it whole: a wrong value or a key that no part reads is refused before
 * anything starts.
 */
final class ServerConfig {
  /** The file as given (after environment overrides): the bridges and monitoring verticles read their sections from it. */
  final JsonObject json;
  final CachexConfig service;
  final int instances;
  final ClusterSettings cluster;
  /** {@code redis.embedded}: null when not set (then: embedded when no endpoint is configured and not clustered). */
  final Boolean embeddedRedis;
  final int redisWaitSeconds;
  /** null: no bridges section, no bridge. */
  final BridgeConfig bridges;
  /** null: no monitoring section, no metrics and no HTTP endpoint. */
  final MonitoringConfig monitoring;
  final TracingConfig tracing;
  /** null: no admin.port, no admin UI. */
  final AdminConfig admin;
  /** Every option with its default (docs/CONFIGURATION.md is checked against it). */
  final Map<String, Object> defaults;

  private ServerConfig(JsonObject json, boolean clusterFlag) {
    this.json = json;
    ConfigSection root = ConfigSection.root(json);
    service = new CachexConfig(root);
    embeddedRedis = root.section("redis").optionalBool("embedded",
        "on when no redis.endpoints is set and the node is not clustered");
    Integer configuredInstances = root.optionalInteger("instances", 1, "the number of cores");
    instances = configuredInstances != null ? configuredInstances : Runtime.getRuntime().availableProcessors();
    ClusterSettings fromFile = new ClusterSettings(root.section("cluster"));
    cluster = clusterFlag && !fromFile.enabled ? new ClusterSettings(clusterSection(json).put("enabled", true)) : fromFile;
    redisWaitSeconds = root.section("startup").integer("redisWaitSeconds", 30, 1);
    boolean bridgesGiven = root.has("bridges");
    BridgeConfig bridgeConfig = new BridgeConfig(root.section("bridges"));
    bridges = bridgesGiven ? bridgeConfig : null;
    boolean monitoringGiven = root.has("monitoring");
    MonitoringConfig monitoringConfig = new MonitoringConfig(root.section("monitoring"));
    monitoring = monitoringGiven ? monitoringConfig : null;
    tracing = new TracingConfig(root.section("tracing"));
    AdminConfig adminConfig = new AdminConfig(root.section("admin"));
    admin = adminConfig.port != null ? adminConfig : null;
    root.rejectUnknown();
    defaults = root.defaults();
  }

  /** Reads and checks the whole configuration; {@code --cluster} on the command line sets {@code cluster.enabled}. */
  static ServerConfig read(JsonObject json, boolean clusterFlag) {
    return new ServerConfig(json == null ? new JsonObject() : json, clusterFlag);
  }

  /** Whether Redis endpoints are configured (else the node needs a development Redis). */
  boolean hasEndpoints() {
    return !service.redis.endpoints.isEmpty();
  }

  /** The same configuration with {@code endpoint} as the only Redis endpoint (for the development Redis). */
  ServerConfig withEndpoint(String endpoint) {
    JsonObject copy = json.copy();
    JsonObject redis = copy.getValue("redis") instanceof JsonObject ? copy.getJsonObject("redis") : new JsonObject();
    copy.put("redis", redis.put("endpoints", new JsonArray().add(endpoint)));
    return new ServerConfig(copy, cluster.enabled);
  }

  /** What {@code CachexVerticle} is given: the service's options only (it refuses anything else). */
  JsonObject serviceJson() {
    JsonObject service = this.service.toJson();
    if (service.getValue("redis") instanceof JsonObject) {
      service.getJsonObject("redis").remove("embedded");
    }
    return service;
  }

  private static JsonObject clusterSection(JsonObject json) {
    return json.getValue("cluster") instanceof JsonObject ? json.getJsonObject("cluster").copy() : new JsonObject();
  }
}
