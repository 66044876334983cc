package io.cachex.service.actions;

import io.cachex.api.PipelineOptions;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.ops.OpContext;
import io.vertx.core.json.JsonArray;

/** Pipelines (docs/SEMANTICS.md "Pipelines"): operations of any facet, in order, in as few round trips as they allow. */
interface PipelineOps {

  OpContext ctx();

  ActionRunner runner();

  default Plan<JsonArray> pipeline(JsonArray operations, PipelineOptions options, Integer version) {
    boolean transaction = options != null && options.isTransaction();
    OpContext batch = ctx().forBatch(version);
    return Plan.steps(ignored -> runner().batch(batch, operations, transaction));
  }

  /** Calls that travel together (the coalescing proxy): in order, in one round trip, each as it would run alone. */
  default Plan<JsonArray> batch(JsonArray operations) {
    OpContext coalesced = ctx().forCoalesced();
    return Plan.steps(ignored -> runner().batch(coalesced, operations, false));
  }
}
