package io.cachex.service;

import io.cachex.api.CachexService;
import io.cachex.service.codec.ValueCodec;
import io.cachex.service.config.CachexConfig;
import io.cachex.service.keys.KeyFunction;
import io.cachex.service.monitoring.MicrometerOpObserver;
import io.cachex.service.monitoring.OpObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import io.cachex.service.ops.CachexServiceImpl;
import io.cachex.service.ops.Ops;
import io.cachex.service.redis.RedisGateway;
import io.cachex.service.validation.OperationCatalog;
import io.cachex.service.validation.RequestValidator;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceBinder;

/**
 * Registers a {@link CachexService} on the event bus at the configured address. Deploy several
 * instances (and on several nodes): they register the same address and the event bus spreads the
 * requests. Each instance owns its Redis connections, confined to its event loop.
 */
public class CachexVerticle extends VerticleBase {
  private RedisGateway gateway;
  private MessageConsumer<JsonObject> consumer;
  private CachexConfig config;

  @Override
  public Future<?> start() {
    try {
      config = new CachexConfig(config());
      KeyFunction keys = (KeyFunction) Class.forName(config.keyFunction).getDeclaredConstructor().newInstance();
      keys.init(config.keyPrefix);
      ValueCodec codec = ValueCodec.fromConfig(config.codec);
      gateway = new RedisGateway(vertx, config.redis);
      MeterRegistry registry = BackendRegistries.getDefaultNow();
      OpObserver observer = registry == null ? OpObserver.NONE : new MicrometerOpObserver(registry);
      CachexServiceImpl service = new CachexServiceImpl(new Ops(gateway, codec, keys, config, observer));
      consumer = new ServiceBinder(vertx)
          .setAddress(config.address)
          .setIncludeDebugInfo(true)
          .addInterceptor(new RequestValidator(OperationCatalog.get(), config.limits.maxItemsPerCall))
          .register(CachexService.class, service);
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
    return unregistered.eventually(() -> gateway == null ? Future.succeededFuture() : gateway.close());
  }

  public CachexConfig cachexConfig() {
    return config;
  }
}
