package io.cachex.service.ops;

import io.cachex.api.PipelineCommands;
import io.cachex.api.PipelineOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/** Pipelines (SEMANTICS.md "Pipelines"): any operations of the service in one round trip; see {@link PipelineRun}. */
public interface PipelineOps extends PipelineCommands {

  Ops ops();

  @Override
  default Future<JsonArray> pipeline(JsonArray operations, PipelineOptions options) {
    Ops x = ops();
    return x.op("pipeline", null, () -> PipelineRun.run(x, operations, options));
  }
}
