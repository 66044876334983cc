package io.cachex.server;

import io.cachex.api.config.ConfigSection;

/** The {@code tracing} section: OpenTelemetry spans for requests and Redis commands. */
final class TracingConfig {
  final boolean enabled;

  TracingConfig(ConfigSection t) {
    enabled = t.bool("enabled", false);
  }
}
