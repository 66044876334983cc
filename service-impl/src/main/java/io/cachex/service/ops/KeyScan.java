package io.cachex.service.ops;

import io.cachex.service.dispatch.Cmd;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.dispatch.Runner;
import io.cachex.service.redis.ClusterNodes;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * SCAN in batches (never KEYS), handing each batch of stored keys to a step that may run commands;
 * every command goes through the runner (one plan per round trip).
 */
public final class KeyScan {
  private KeyScan() {
  }

  /** SCAN COUNT of iterKeys (the reference's batch size). */
  public static final int BATCH = 100;
  /** SCAN COUNT of keys, clear and deletePattern: fewer round trips for a call that walks everything anyway. */
  public static final int DELETE_BATCH = 1000;

  /** One page of a scan: the next cursor ("0" when done) and the stored keys found. */
  public record Page(String cursor, List<String> storedKeys) {
  }

  /** Walks every key matching {@code glob} (on every primary of a cluster); {@code step} returns how many keys it counted. */
  public static Future<Long> forEach(Runner runner, OpContext x, String glob, int batch, Function<List<String>, Future<Long>> step) {
    return loop(runner, x, "0", glob, batch, step, 0L);
  }

  private static Future<Long> loop(Runner runner, OpContext x, String cursor, String glob, int batch,
                                   Function<List<String>, Future<Long>> step, long total) {
    return page(runner, x, cursor, glob, batch).compose(page -> {
      Future<Long> counted = page.storedKeys().isEmpty() ? Future.succeededFuture(0L) : step.apply(page.storedKeys());
      return counted.compose(n -> "0".equals(page.cursor())
          ? Future.succeededFuture(total + n)
          : loop(runner, x, page.cursor(), glob, batch, step, total + n));
    });
  }

  /**
   * One SCAN step. On Redis Cluster SCAN has no key to route by, so the cursor is composite,
   * {@code <primary index>-<cursor on that primary>}, walking the primaries in a stable order.
   */
  public static Future<Page> page(Runner runner, OpContext x, String cursor, String glob, int count) {
    if (x.cluster == null) {
      return runner.run(Plan.of(scan(cursor, glob, count), reply -> new Page(reply.get(0).toString(), keys(reply))));
    }
    int dash = cursor.indexOf('-');
    int node = dash < 0 ? 0 : Integer.parseInt(cursor.substring(0, dash));
    String nodeCursor = dash < 0 ? cursor : cursor.substring(dash + 1);
    return runner.run(Plan.of(ClusterNodes.slotsRequest(), ClusterNodes::primaries)).compose(primaries -> {
      if (node >= primaries.size()) {
        return Future.succeededFuture(new Page("0", List.of()));
      }
      return runner.run(Plan.of(Cmd.toNode(primaries.get(node), scan(nodeCursor, glob, count)), reply -> {
        String next = reply.get(0).toString();
        String composite = !"0".equals(next) ? node + "-" + next : node + 1 < primaries.size() ? (node + 1) + "-0" : "0";
        return new Page(composite, keys(reply));
      }));
    });
  }

  private static Request scan(String cursor, String glob, int count) {
    return Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(glob).arg("COUNT").arg(count);
  }

  private static List<String> keys(Response reply) {
    List<String> keys = new ArrayList<>(reply.get(1).size());
    for (Response k : reply.get(1)) {
      keys.add(k.toString());
    }
    return keys;
  }

  /** UNLINK of one batch (per hash slot on a cluster); replies with how many were deleted. */
  public static Future<Long> delete(Runner runner, OpContext x, List<String> storedKeys) {
    return runner.run(Plan.all(OpContext.keysPerSlot(Command.UNLINK, storedKeys, x.slotGroups(storedKeys)),
        replies -> replies.stream().mapToLong(Response::toLong).sum()));
  }
}
