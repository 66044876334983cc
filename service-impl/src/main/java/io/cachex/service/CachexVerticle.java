package io.cachex.service;

import io.cachex.api.CachexService;
import io.cachex.service.actions.ActionHandler;
import io.cachex.service.actions.ActionRunner;
import io.cachex.service.codec.ValueCodec;
import io.cachex.service.config.CachexConfig;
import io.cachex.service.dispatch.Dispatcher;
import io.cachex.service.keys.KeyFunction;
import io.cachex.service.locks.Waiters;
import io.cachex.service.monitoring.MicrometerOpObserver;
import io.cachex.service.monitoring.OpObserver;
import io.cachex.service.near.InvalidationPublisher;
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
  private Waiters waiters;
  private InvalidationPublisher invalidations;
  private MessageConsumer<Object> consumer;
  private ActionHandler handler;
  private CachexConfig config;

  @Override
  public Future<?> start() {
    try {
      config = new CachexConfig(config());
      KeyFunction keys = (KeyFunction) Class.forName(config.keyFunction).getDeclaredConstructor().newInstance();
      keys.init(config.keyPrefix);
      ValueCodec codec = ValueCodec.fromConfig(config.codec);
      gateway = new RedisGateway(vertx, config.redis);
      Dispatcher dispatcher = new Dispatcher(vertx, gateway, config.limits.scriptTimeoutMs, codec::decodedSize);
      ScriptRegistry scripts = new ScriptRegistry(config.scripts, keys.internalKey("scripts"), dispatcher);
      waiters = new Waiters(context, gateway);
      OpObserver observer = observer(config.address);
      OpContext ctx = new OpContext(codec, keys, config, gateway.cluster(), scripts, waiters, observer);
      handler = new ActionHandler(new ActionRunner(ctx, dispatcher, observer));
      try {
        vertx.eventBus().registerDefaultCodec(ServiceException.class, new ServiceExceptionMessageCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // another service instance or a proxy of this Vert.x did it
      }
      if (config.nearCache.enabled) {
        invalidations = new InvalidationPublisher(context, gateway, keys, config.nearCache);
      }
      consumer = vertx.eventBus().consumer(config.address, handler);
      return consumer.completion();
    } catch (ReflectiveOperationException e) {
      return Future.failedFuture(new IllegalArgumentException("config option 'keyFunction': cannot create " + e.getMessage(), e));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    // answer what was accepted before letting go of the connections, within the command timeout
    Future<Void> answered = unregistered.compose(v -> handler == null ? Future.succeededFuture()
        : handler.drained().timeout(config.redis.commandTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
            .recover(late -> Future.succeededFuture()));
    return answered.eventually(() -> {
          if (waiters != null) {
            waiters.close();
          }
          if (invalidations != null) {
            invalidations.close();
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
