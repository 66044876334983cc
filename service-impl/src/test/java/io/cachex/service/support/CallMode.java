package io.cachex.service.support;

import io.cachex.api.Action;
import io.cachex.api.CachexService;
import io.cachex.api.CoalescingCachexService;
import io.cachex.api.Pipeline;
import io.cachex.api.PipelineOptions;
import io.cachex.api.contract.ActionSpec;
import io.cachex.api.contract.Actions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;

/**
 * How the contract suite calls the service, chosen per surefire execution with
 * {@code -Dcachex.calls=...}: every call as itself, or wrapped as a one-operation pipeline, or as a
 * one-operation transaction, wherever the action's traits allow it (others go as themselves), or
 * through the coalescing proxy with every coalescable call sent as a {@code batch} even alone. The
 * same assertions then hold for every way of sending an operation, in the manner of Lettuce's
 * transactional re-run of its command tests.
 */
public enum CallMode {
  SINGLE, PIPELINE, TRANSACTION, COALESCED;

  public static CallMode current() {
    return CallMode.valueOf(System.getProperty("cachex.calls", "single").toUpperCase(Locale.ROOT));
  }

  /** Whether writes without a timeout get no expiry (a pipeline's rule) when called through this mode. */
  public boolean noDefaultExpiry() {
    return this == PIPELINE || this == TRANSACTION;
  }

  /** The proxy to the service on {@code address} as this mode calls it. */
  public CachexService proxy(Vertx vertx, String address, DeliveryOptions options) {
    if (this == COALESCED) {
      return CoalescingCachexService.create(vertx, address,
          new CoalescingCachexService.Options().setDelivery(options).setBatchAlone(true));
    }
    return wrap(CachexService.createProxyWithOptions(vertx, address, options));
  }

  /** {@code service} as this mode calls it. */
  public CachexService wrap(CachexService service) {
    if (this == SINGLE || this == COALESCED) {
      return service;
    }
    return (CachexService) Proxy.newProxyInstance(CachexService.class.getClassLoader(), new Class<?>[]{CachexService.class},
        new Wrapper(service, this == TRANSACTION));
  }

  /** Whether this mode sends {@code spec} inside a batch. */
  public boolean batches(ActionSpec spec) {
    Action t = spec.traits();
    return (this == PIPELINE || this == TRANSACTION) && !t.waits()
        && (t.batch() == Action.Batch.ANY || (this == PIPELINE && t.batch() == Action.Batch.PIPELINE));
  }

  private final class Wrapper implements InvocationHandler {
    private final CachexService target;
    private final boolean transaction;

    Wrapper(CachexService target, boolean transaction) {
      this.target = target;
      this.transaction = transaction;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(target, args);
      }
      if (method.isDefault()) {
        // conveniences run here and call a proxied method of this wrapper
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      ActionSpec spec = Actions.cachex().require(method.getName());
      try {
        if (!batches(spec)) {
          return method.invoke(target, args);
        }
        Pipeline p = Pipeline.of(target);
        Object future = method.invoke(p.ops(), args);
        p.execute(transaction ? PipelineOptions.transaction() : null);
        return future;
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
