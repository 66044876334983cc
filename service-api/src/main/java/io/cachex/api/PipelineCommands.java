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

  /** A builder that records calls on {@link Pipeline#ops()} and sends them with {@link Pipeline#execute()}. */
  @GenIgnore
  default Pipeline pipeline() {
    if (!(this instanceof CachexService)) {
      throw new IllegalStateException("pipeline() needs a CachexService");
    }
    return Pipeline.of((CachexService) this);
  }
}
