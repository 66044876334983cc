package io.cachex.server;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.vertx.core.VertxBuilder;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;

import java.util.Map;

/**
 * OpenTelemetry tracing of the node ({@code tracing.enabled}), through Vert.x's own vertx-opentelemetry: every
 * request the service receives over the event bus is a span, a child of the caller's span (the trace context
 * travels in the message headers, across a clustered bus too), and every Redis command it sends is a child
 * span of that. The SDK is configured the OpenTelemetry way, by the {@code OTEL_*} environment variables
 * (OTLP exporter by default: {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_SERVICE_NAME}, ...).
 */
final class Tracing {
  private Tracing() {
  }

  static VertxBuilder configure(VertxBuilder builder, TracingConfig config) {
    if (!config.enabled) {
      return builder;
    }
    // traces only, as service "cachex", unless the OTEL_* variables say otherwise
    OpenTelemetry sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> Map.of("otel.service.name", "cachex", "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
        .build().getOpenTelemetrySdk();
    return withOpenTelemetry(builder, sdk);
  }

  /** Traces this node's event bus and Redis client with {@code openTelemetry}. */
  static VertxBuilder withOpenTelemetry(VertxBuilder builder, OpenTelemetry openTelemetry) {
    return builder.withTracer(new OpenTelemetryTracingFactory(openTelemetry));
  }
}
