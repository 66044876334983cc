package io.cachex.server;

import io.cachex.api.CachexService;
import io.cachex.cluster.ClusterSettings;
import io.cachex.cluster.ClusteredVertx;
import io.cachex.service.CachexVerticle;
import io.cachex.service.support.SharedRedis;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracing across a clustered event bus: a caller on one Hazelcast member, the service on another, both traced
 * by Vert.x's own vertx-opentelemetry into an in-memory exporter. The service's span for the request is a child
 * of the caller's, and the Redis command's span a child of the service's.
 */
class TracingTest {
  static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  static OpenTelemetrySdk otel;
  static Vertx serviceNode;
  static Vertx callerNode;
  static String address;

  @BeforeAll
  static void start() {
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
        // W3C trace context in the message headers, as the SDK's autoconfiguration sets it up by default
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    ClusterSettings cluster = new ClusterSettings(new JsonObject().put("enabled", true)
        .put("clusterName", "cachex-tracing-" + UUID.randomUUID()).put("port", 17801));
    serviceNode = node(cluster);
    callerNode = node(cluster);
    address = "cachex.tracing." + UUID.randomUUID().toString().substring(0, 8);
    JsonObject config = new JsonObject().put("address", address).put("keyPrefix", "tracing")
        .put("redis", new JsonObject().put("endpoints", new JsonArray().add(SharedRedis.get().uri())));
    serviceNode.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config)).await();
  }

  static Vertx node(ClusterSettings cluster) {
    return Tracing.withOpenTelemetry(ClusteredVertx.builder(cluster, new VertxOptions()), otel).buildClustered().await();
  }

  @AfterAll
  static void stop() {
    callerNode.close().await();
    serviceNode.close().await();
    otel.close();
  }

  @Test
  void aRequestAndItsRedisCommandAreChildSpansOfTheCallersSpan() {
    CachexService cache = CachexService.createProxy(callerNode, address);
    // the service answers on its own once before: the spans below are those of one request only
    cache.get("warm-up").await();
    SPANS.reset();

    ContextInternal context = ((VertxInternal) callerNode).getOrCreateContext().duplicate();
    Promise<String> traceId = Promise.promise();
    context.runOnContext(v -> {
      Span caller = otel.getTracer("test").spanBuilder("caller").startSpan();
      try (Scope ignored = caller.makeCurrent()) {
        Future<Object> got = cache.get("traced");
        got.onComplete(ar -> {
          caller.end();
          traceId.complete(caller.getSpanContext().getTraceId());
        });
      }
    });
    String trace = traceId.future().await();

    List<SpanData> spans = awaitSpans(trace, 4);
    Map<String, SpanData> byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    SpanData callerSpan = only(spans, s -> s.getName().equals("caller"));
    SpanData received = only(spans, s -> s.getKind() == SpanKind.SERVER || s.getKind() == SpanKind.CONSUMER);
    SpanData redis = only(spans, s -> s.getKind() == SpanKind.CLIENT && "redis".equals(attribute(s, "db.system")));
    assertTrue(descendsFrom(received, callerSpan, byId), "the service's span descends from the caller's: " + spans);
    assertTrue(descendsFrom(redis, received, byId), "the Redis command's span descends from the service's: " + spans);
    assertEquals("get", String.valueOf(attribute(redis, "db.operation.name")).toLowerCase(), redis.toString());
  }

  static List<SpanData> awaitSpans(String traceId, int atLeast) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      List<SpanData> spans = SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
      if (spans.size() >= atLeast || System.currentTimeMillis() > deadline) {
        return spans;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static SpanData only(List<SpanData> spans, java.util.function.Predicate<SpanData> which) {
    List<SpanData> found = spans.stream().filter(which).toList();
    assertEquals(1, found.size(), "one such span among " + spans);
    return found.get(0);
  }

  static Object attribute(SpanData span, String key) {
    return span.getAttributes().asMap().entrySet().stream().filter(e -> e.getKey().getKey().equals(key))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  static boolean descendsFrom(SpanData span, SpanData ancestor, Map<String, SpanData> byId) {
    SpanData s = span;
    while (s != null) {
      if (s.getParentSpanId().equals(ancestor.getSpanId())) {
        return true;
      }
      s = byId.get(s.getParentSpanId());
    }
    assertNotNull(ancestor);
    return false;
  }
}
