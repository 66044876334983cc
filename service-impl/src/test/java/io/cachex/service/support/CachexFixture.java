package io.cachex.service.support;

import io.cachex.api.CachexError;
import io.cachex.api.CachexService;
import io.cachex.service.CachexVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.serviceproxy.ServiceException;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A deployed service reached through the generated proxy over the event bus, on its own address
 * and key prefix, plus a raw client to look at what is really stored.
 */
public final class CachexFixture {
  /** The caller's Vert.x (where the proxy lives); use it for raw event-bus requests. */
  public final Vertx vertx;
  /** The Vert.x the service is deployed on (the same as {@link #vertx} unless the bus is clustered). */
  public final Vertx serviceVertx;
  public final String address;
  public final String prefix;
  public final CachexService cache;
  public final Redis raw;
  private final JsonObject config;
  private final int instances;
  private String deploymentId;

  private CachexFixture(Vertx vertx, Vertx serviceVertx, JsonObject config, int instances, String deploymentId, Redis raw) {
    this.vertx = vertx;
    this.serviceVertx = serviceVertx;
    this.config = config;
    this.instances = instances;
    this.address = config.getString("address");
    this.prefix = config.getString("keyPrefix");
    this.deploymentId = deploymentId;
    this.raw = raw;
    // the contract suite may run with every call wrapped in a one-operation pipeline or transaction, or coalesced
    this.cache = CallMode.current().proxy(vertx, address, new DeliveryOptions().setSendTimeout(10_000));
  }

  /**
   * Deploys a service against the shared test server; {@code config} may override anything. With
   * {@code -Dcachex.topology=clustered-bus} the service runs on one cluster member and the proxy
   * (and {@link #vertx}) on another, whatever {@code vertx} the test passes.
   */
  public static CachexFixture deploy(Vertx vertx, JsonObject config) {
    return deploy(vertx, config, 1);
  }

  /** As {@link #deploy(Vertx, JsonObject)} with {@code instances} service instances on the address. */
  public static CachexFixture deploy(Vertx vertx, JsonObject config, int instances) {
    Vertx serviceVertx = vertx;
    Vertx callerVertx = vertx;
    if (Topology.current() == Topology.CLUSTERED_BUS) {
      serviceVertx = ClusteredBus.serviceNode();
      callerVertx = ClusteredBus.callerNode();
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    JsonObject c = new JsonObject()
        .put("address", "cachex.test." + id)
        // on Redis Cluster the suite's prefix is a hash tag, so a test's keys share one slot and its
        // multi-key calls run; RedisClusterTest covers keys spread over slots with an untagged prefix
        .put("keyPrefix", Topology.current() == Topology.REDIS_CLUSTER ? "{t" + id + "}" : "t" + id)
        .put("redis", TestTopologies.redisConfig());
    c.mergeIn(config == null ? new JsonObject() : config, true);
    String deploymentId = serviceVertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(c).setInstances(instances)).await();
    Redis raw = TestTopologies.rawClient(callerVertx);
    CachexFixture fx = new CachexFixture(callerVertx, serviceVertx, c, instances, deploymentId, raw);
    fx.awaitReachable();
    return fx;
  }

  public static CachexFixture deploy(Vertx vertx) {
    return deploy(vertx, null);
  }

  /** The stored key of a caller key at a version. */
  public String stored(String key, int version) {
    return prefix + ":" + version + ":" + key;
  }

  /** Runs a raw command against the server (bypassing the service). */
  public Response redis(Command command, Object... args) {
    Request r = Request.cmd(command);
    for (Object a : args) {
      if (a instanceof byte[]) {
        r.arg((byte[]) a);
      } else {
        r.arg(String.valueOf(a));
      }
    }
    return raw.send(r).await();
  }

  /** A raw request as a bridge client sends it: an {@code action} header and a JSON body; the reply body. */
  public Future<Object> request(String action, JsonObject body) {
    return vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(10_000).addHeader("action", action))
        .map(io.vertx.core.eventbus.Message::body);
  }

  /** On a clustered bus the registration reaches other members asynchronously: wait until a call gets through. */
  private void awaitReachable() {
    long deadline = System.currentTimeMillis() + 15_000;
    while (true) {
      try {
        cache.hasKey("__fixture_probe", null).await();
        return;
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Undeploys the service and deploys it again with the same configuration (a service restart). */
  public void restart() {
    serviceVertx.undeploy(deploymentId).await();
    deploymentId = serviceVertx.deployVerticle(CachexVerticle.class, new DeploymentOptions().setConfig(config).setInstances(instances)).await();
    awaitReachable();
  }

  public void undeploy() {
    serviceVertx.undeploy(deploymentId).await();
    raw.close();
  }

  /** Awaits the future, asserts it failed with {@code expected}, and returns the exception. */
  public static ServiceException assertFails(CachexError expected, Future<?> future) {
    try {
      Object v = future.await();
      fail("expected " + expected + " but the call succeeded with " + v);
      return null;
    } catch (Exception e) {
      ServiceException se = assertInstanceOf(ServiceException.class, e, "failure type");
      assertEquals(expected, CachexError.of(se), "code of: " + se.getMessage());
      assertEquals(expected.code(), se.failureCode());
      assertNotNull(se.getMessage());
      assertTrue(se.getMessage().startsWith(expected.name() + " "), se.getMessage());
      return se;
    }
  }
}
