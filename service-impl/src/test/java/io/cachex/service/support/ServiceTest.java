package io.cachex.service.support;

import io.cachex.api.CachexService;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class whose tests share one service deployed with the default test configuration
 * ({@link CachexFixture#deploy(Vertx)}, so on the topology the surefire execution selects) and call
 * it through the generated proxy in {@link #cache}.
 */
@ExtendWith(VertxExtension.class)
public abstract class ServiceTest {
  protected static Vertx vertx;
  protected static CachexFixture fx;
  protected static CachexService cache;

  @BeforeAll
  static void deployService(Vertx v) {
    vertx = v;
    fx = CachexFixture.deploy(v);
    cache = fx.cache;
  }

  @AfterAll
  static void undeployService() {
    fx.undeploy();
  }
}
