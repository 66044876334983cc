package io.cachex.examples;

import io.cachex.api.CachexService;
import io.cachex.api.Pipeline;
import io.cachex.api.PipelineOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Mixed operations of several facets (set, incr, hset, rpush, get) sent as ONE event-bus message
 * and run in ONE Redis round trip: first as a plain pipeline, then as a MULTI/EXEC transaction.
 * Each call on {@code p.ops()} records an operation and returns a future of its own result.
 */
public final class PipelineExample {
  private PipelineExample() {
  }

  /** Runs the batch; returns one line per operation, in order ("op → result"). */
  public static Future<List<String>> batch(CachexService cache, String prefix, PipelineOptions options) {
    Pipeline p = cache.pipeline();
    CachexService ops = p.ops();
    List<String> names = List.of(
        "set " + prefix + "greeting", "incr " + prefix + "visits", "incr " + prefix + "visits (+10)",
        "hset " + prefix + "user name", "rpush " + prefix + "events", "get " + prefix + "greeting",
        "get " + prefix + "missing");
    List<Future<?>> results = List.of(
        ops.set(prefix + "greeting", new JsonObject().put("text", "hello")),
        ops.incr(prefix + "visits"),
        ops.incr(prefix + "visits", 10),
        ops.hset(prefix + "user", "name", "Ada"),
        ops.rpush(prefix + "events", new JsonObject().put("type", "login")),
        ops.get(prefix + "greeting"),
        ops.get(prefix + "missing"));
    return p.execute(options).map(rawSlots -> {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        Future<?> r = results.get(i);
        lines.add(names.get(i) + " → " + (r.succeeded() ? r.result() : "error " + r.cause().getMessage()));
      }
      return lines;
    });
  }

  public static void main(String[] args) {
    try (ExampleSupport example = ExampleSupport.start()) {
      CachexService cache = example.newNode("examples");
      String run = "demo:";
      List<String> keys = List.of(run + "greeting", run + "visits", run + "user", run + "events");
      cache.deleteMany(keys).await(); // a clean start on a server that is not fresh

      System.out.println("one pipeline (one message, one round trip):");
      batch(cache, run, null).await().forEach(line -> System.out.println("  " + line));

      System.out.println("the same batch as a transaction (MULTI/EXEC, applied together):");
      batch(cache, run, PipelineOptions.transaction()).await().forEach(line -> System.out.println("  " + line));

      System.out.println("what the pipeline sent: " + wireFormat(cache));
      cache.deleteMany(keys).await();
    }
  }

  /** The {@code operations} array a bridge client would send for a small batch (docs/PROTOCOL.md). */
  static JsonArray wireFormat(CachexService cache) {
    Pipeline p = cache.pipeline();
    p.ops().incr("visits");
    p.ops().hset("user", "name", "Ada");
    return p.operations();
  }
}
