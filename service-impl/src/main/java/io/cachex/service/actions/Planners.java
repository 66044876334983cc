package io.cachex.service.actions;

import io.cachex.service.ops.AdminOps;
import io.cachex.service.ops.ComputeOps;
import io.cachex.service.ops.CoreOps;
import io.cachex.service.ops.HashOps;
import io.cachex.service.ops.KeyOps;
import io.cachex.service.ops.ListOps;
import io.cachex.service.ops.LockOps;
import io.cachex.service.ops.OpContext;
import io.cachex.service.ops.ScriptOps;
import io.cachex.service.ops.SemaphoreOps;
import io.cachex.service.ops.SetOps;
import io.cachex.service.ops.SortedSetOps;

/**
 * Every action's planner in one object: one mixin per facet, each a set of functions from an
 * action's arguments to its plan. Adding a facet means adding its mixin here; there is no
 * per-action glue ({@link PlannerBinding} finds each action's method by name).
 */
final class Planners implements CoreOps, KeyOps, HashOps, ListOps, SetOps, SortedSetOps, ScriptOps, LockOps, SemaphoreOps,
    ComputeOps, PipelineOps, AdminOps {
  private final OpContext ctx;
  private final ActionRunner runner;

  Planners(OpContext ctx, ActionRunner runner) {
    this.ctx = ctx;
    this.runner = runner;
  }

  @Override
  public OpContext ctx() {
    return ctx;
  }

  @Override
  public ActionRunner runner() {
    return runner;
  }
}
