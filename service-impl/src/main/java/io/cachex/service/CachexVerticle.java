package io.cachex.service;

import io.cachex.api.CachexService;
import io.cachex.service.actions.ActionHandler;
import io.cachex.service.actions.ActionRunner;
import io.cachex.service.codec.ValueCodec;
import io.cachex.service.config.CachexConfig;
import io.cachex.service.dispatch.Dispatcher;
import io.cachex.service.keys.KeyFunction;
import io.cachex.service.locks.LockWaiters;
import io.cachex.service.monitoring.MicrometerOpObserver;
import io.cachex.service.monitoring.OpObserver;
import io.cachex.service.ops.OpContext;
import io.cachex.service.redis.RedisGateway;
import io.cachex.service.scripts.ScriptRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.serviceproxy.ServiceException;
import io.vertx.serviceproxy.ServiceExceptionMessageCodec;

/**
 * Registers the {@link CachexService} actions on the event bus at the configured address. Deploy
 * several instances (and on several nodes): they register the same address and the event bus
 * spreads the requests. Each instance owns its Redis connections, confined to its event loop.
 */
public class CachexVerticle extends VerticleBase {
  private RedisGateway gateway;
  private ScriptRegistry scripts;
  private LockWaiters lockWaiters;
  private MessageConsumer<Object> consumer;
  private CachexConfig config;

  @Override
  public Future<?> start() {
    try {
      config = new CachexConfig(config());
      KeyFunction keys = (KeyFunction) Class.forName(config.keyFunction).getDeclaredConstructor().newInstance();
      keys.init(config.keyPrefix);
      ValueCodec codec = ValueCodec.fromConfig(config.codec);
      gateway = new RedisGateway(vertx, config.redis);
      Dispatcher dispatcher = new Dispatcher(gateway);
      scripts = new ScriptRegistry(vertx, config.address, config.scripts, keys.internalKey("scripts"), dispatcher);
      lockWaiters = new LockWaiters(context, config.redis);
      OpContext ctx = new OpContext(codec, keys, config, gateway.cluster(), scripts, lockWaiters);
      OpObserver observer = observer(config.address);
      ActionHandler handler = new ActionHandler(new ActionRunner(ctx, dispatcher, observer));
      try {
        vertx.eventBus().registerDefaultCodec(ServiceException.class, new ServiceExceptionMessageCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // another service instance or a proxy of this Vert.x did it
      }
      return scripts.start().compose(v -> {
        consumer = vertx.eventBus().consumer(config.address, handler);
        return consumer.completion();
      });
    } catch (ReflectiveOperationException e) {
      return Future.failedFuture(new IllegalArgumentException("config option 'keyFunction': cannot create " + e.getMessage(), e));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered
        .eventually(() -> scripts == null ? Future.succeededFuture() : scripts.stop())
        .eventually(() -> {
          if (lockWaiters != null) {
            lockWaiters.close();
          }
          return gateway == null ? Future.succeededFuture() : gateway.close();
        });
  }

  /** Meters when vertx-micrometer-metrics is on the class path and this Vert.x has a registry, else nothing. */
  private static OpObserver observer(String address) {
    try {
      Class.forName("io.vertx.micrometer.backends.BackendRegistries", false, CachexVerticle.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError optionalDependencyAbsent) {
      return OpObserver.NONE;
    }
    return MicrometerOpObserver.ofDefaultRegistry(address);
  }

  public CachexConfig cachexConfig() {
    return config;
  }
}
