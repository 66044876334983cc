package io.cachex.service.ops;

import io.cachex.api.CachexService;

/**
 * The service: one mixin per facet, each implementing its facet's methods over {@link Ops}.
 * Adding a facet means adding its mixin here; there is no per-method delegation glue.
 */
public final class CachexServiceImpl implements CachexService, CoreOps, KeyOps, HashOps, ListOps, SetOps, SortedSetOps, PipelineOps, ScriptOps, LockOps {
  private final Ops ops;

  public CachexServiceImpl(Ops ops) {
    this.ops = ops;
  }

  @Override
  public Ops ops() {
    return ops;
  }
}
