package io.cachex.service.ops;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** SCAN in batches (never KEYS), handing each batch of stored keys to a step that may run commands. */
public final class KeyScan {
  private KeyScan() {
  }

  public static final int BATCH = 100;

  /** Walks every key matching {@code glob}; {@code step} returns how many keys it counted. */
  public static Future<Long> forEach(Ops ops, String glob, int batch, Function<List<String>, Future<Long>> step) {
    return loop(ops, "0", glob, batch, step, 0L);
  }

  private static Future<Long> loop(Ops ops, String cursor, String glob, int batch,
                                   Function<List<String>, Future<Long>> step, long total) {
    Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(glob).arg("COUNT").arg(batch);
    return ops.send(scan).compose(reply -> {
      String nextCursor = reply.get(0).toString();
      List<String> keys = new ArrayList<>(reply.get(1).size());
      for (Response k : reply.get(1)) {
        keys.add(k.toString());
      }
      Future<Long> counted = keys.isEmpty() ? Future.succeededFuture(0L) : step.apply(keys);
      return counted.compose(n -> "0".equals(nextCursor)
          ? Future.succeededFuture(total + n)
          : loop(ops, nextCursor, glob, batch, step, total + n));
    });
  }

  /** DEL of one batch; replies with how many were deleted. */
  public static Future<Long> delete(Ops ops, List<String> storedKeys) {
    Request del = Request.cmd(Command.UNLINK);
    storedKeys.forEach(del::arg);
    return ops.send(del).map(Response::toLong);
  }
}
