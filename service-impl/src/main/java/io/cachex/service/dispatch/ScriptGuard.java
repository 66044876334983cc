package io.cachex.service.dispatch;

import io.cachex.service.redis.ClusterNodes;
import io.cachex.service.redis.RedisErrors;
import io.cachex.service.redis.RedisGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops scripts that run too long. Valkey/Redis runs one script at a time and serves nobody else
 * meanwhile; past its busy threshold ({@code busy-reply-threshold}, 5 s by default) it answers every
 * other command {@code BUSY} until the script ends or is killed. The guard sends {@code SCRIPT KILL}, on a
 * connection of its own, when a script of ours has run longer than {@code limits.scriptTimeoutMs}, and when
 * any command is answered {@code BUSY} (a runaway script of another client counts too); the server
 * carries the kill out as soon as it reads commands again. A script that has written cannot be killed
 * ({@code UNKILLABLE}): that is logged, and only {@code SHUTDOWN NOSAVE} on the server stops it.
 * Confined to the service instance's event loop.
 */
final class ScriptGuard {
  private static final System.Logger LOG = System.getLogger("io.cachex.service");

  private final Vertx vertx;
  private final RedisGateway gateway;
  private final long scriptTimeoutMs;
  private Future<Void> killing;

  ScriptGuard(Vertx vertx, RedisGateway gateway, long scriptTimeoutMs) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.scriptTimeoutMs = scriptTimeoutMs;
  }

  /** Kills the script behind {@code reply} when it has not answered within the script timeout. */
  <T> Future<T> watch(Future<T> reply) {
    if (reply.isComplete()) {
      return reply;
    }
    long timer = vertx.setTimer(scriptTimeoutMs, id -> {
      if (!reply.isComplete()) {
        kill("a script ran longer than limits.scriptTimeoutMs (" + scriptTimeoutMs + " ms)");
      }
    });
    return reply.andThen(ar -> vertx.cancelTimer(timer));
  }

  /**
   * Sends one command again after the server answered {@code BUSY} (it did not run it): once the
   * running script has been killed, if it could be.
   */
  Future<Response> retryWhenBusy(Future<Response> reply, java.util.function.Supplier<Future<Response>> again) {
    return reply.recover(err -> RedisErrors.is(err, "BUSY")
        ? kill("Valkey/Redis answered BUSY").compose(v -> again.get())
        : Future.failedFuture(err));
  }

  /** SCRIPT KILL, once at a time (on every primary of a cluster); completes when the server answered. */
  Future<Void> kill(String why) {
    if (killing != null) {
      return killing;
    }
    long timeout = gateway.config().commandTimeoutMs + scriptTimeoutMs;
    Future<List<Response>> sent;
    ClusterNodes cluster = gateway.cluster();
    if (cluster == null) {
      sent = gateway.withDedicatedConnection(c -> c.send(killRequest()), timeout).map(List::of);
    } else {
      sent = gateway.send(ClusterNodes.slotsRequest()).compose(slots -> {
        List<Future<Response>> each = new ArrayList<>();
        for (String node : ClusterNodes.primaries(slots)) {
          each.add(cluster.sendTo(node, killRequest()).recover(err -> Future.succeededFuture(null)));
        }
        return Future.all(each).map(all -> all.list());
      });
    }
    killing = sent.transform(ar -> {
      killing = null;
      if (ar.succeeded()) {
        LOG.log(System.Logger.Level.WARNING, why + ": stopped it with SCRIPT KILL");
      } else if (RedisErrors.is(ar.cause(), "NOTBUSY")) {
        LOG.log(System.Logger.Level.DEBUG, why + ": no script was running any more");
      } else if (RedisErrors.is(ar.cause(), "UNKILLABLE")) {
        LOG.log(System.Logger.Level.ERROR, why + ", and it has written: Valkey/Redis cannot stop it without SHUTDOWN NOSAVE;"
            + " every command is answered BUSY until it ends");
      } else {
        LOG.log(System.Logger.Level.WARNING, why + ": SCRIPT KILL failed: " + ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
    return killing;
  }

  private static Request killRequest() {
    return Request.cmd(Command.SCRIPT).arg("KILL");
  }
}
