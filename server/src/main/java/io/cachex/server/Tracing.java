package io.cachex.server;

import io.vertx.core.VertxBuilder;

/** OpenTelemetry tracing of the node (the {@code tracing} section). */
final class Tracing {
  private Tracing() {
  }

  static VertxBuilder configure(VertxBuilder builder, TracingConfig config) {
    return builder;
  }
}
