package io.cachex.api;

import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.annotations.Nullable;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import static io.cachex.api.Action.Access.WRITE;

/**
 * Batches: several operations of any facet in one event-bus message and one Redis round trip.
 * Java callers use the {@link Pipeline} builder ({@link #pipeline()}); bridge clients send the
 * {@code pipeline} action themselves (docs/PROTOCOL.md "Pipeline actions").
 */
@VertxGen(concrete = false)
public interface PipelineCommands {

  /**
   * Runs {@code operations} (each {@code {"action": name, "args": {fields of that action}}}) in the
   * order given and replies with one slot per operation: {@code {"ok": result}} or
   * {@code {"error": {"code", "failureCode", "message"}}}. {@code version} is the version of every
   * operation that names none. With {@code transaction} the operations run inside MULTI/EXEC, and
   * the batch is refused as a whole, with nothing sent, when an operation is invalid or cannot run
   * in a transaction.
   */
  @Action(access = WRITE, batch = Action.Batch.NONE)
  Future<JsonArray> pipeline(JsonArray operations, @Nullable PipelineOptions options, @Nullable Integer version);

  /**
   * Runs {@code operations} (as in {@link #pipeline}) each <b>exactly as it would run alone</b>: the
   * configured default expiry and version, stampede protection on reads; in the order given, in one
   * Redis round trip for consecutive operations of one round trip each. One slot per operation,
   * {@code {"ok": result}} or {@code {"error": {...}}}, each the reply or failure the single call
   * would have had; an operation that cannot run in a pipeline, or a form that would wait, gets
   * {@code NOT_SUPPORTED} in its slot and the others still run. What the coalescing proxy
   * ({@link CoalescingCachexService}) sends when calls made concurrently travel together.
   */
  @Action(access = WRITE, batch = Action.Batch.NONE)
  Future<JsonArray> batch(JsonArray operations);

  /** A builder that records calls on {@link Pipeline#ops()} and sends them with {@link Pipeline#execute()}. */
  @GenIgnore
  default Pipeline pipeline() {
    if (!(this instanceof CachexService)) {
      throw new IllegalStateException("pipeline() needs a CachexService");
    }
    return Pipeline.of((CachexService) this);
  }
}
