package io.cachex.service.ops;

import io.cachex.service.redis.ClusterNodes;
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

  /** One page of a scan: the next cursor ("0" when done) and the stored keys found. */
  public record Page(String cursor, List<String> storedKeys) {
  }

  /** Walks every key matching {@code glob} (on every primary of a cluster); {@code step} returns how many keys it counted. */
  public static Future<Long> forEach(Ops ops, String glob, int batch, Function<List<String>, Future<Long>> step) {
    return loop(ops, "0", glob, batch, step, 0L);
  }

  private static Future<Long> loop(Ops ops, String cursor, String glob, int batch,
                                   Function<List<String>, Future<Long>> step, long total) {
    return page(ops, cursor, glob, batch).compose(page -> {
      Future<Long> counted = page.storedKeys().isEmpty() ? Future.succeededFuture(0L) : step.apply(page.storedKeys());
      return counted.compose(n -> "0".equals(page.cursor())
          ? Future.succeededFuture(total + n)
          : loop(ops, page.cursor(), glob, batch, step, total + n));
    });
  }

  /**
   * One SCAN step. On Redis Cluster SCAN has no key to route by, so the cursor is composite,
   * {@code <primary index>-<cursor on that primary>}, walking the primaries in a stable order.
   */
  public static Future<Page> page(Ops ops, String cursor, String glob, int count) {
    ClusterNodes cluster = ops.redis.cluster();
    if (cluster == null) {
      return ops.send(scan(cursor, glob, count)).map(reply -> new Page(reply.get(0).toString(), keys(reply)));
    }
    int dash = cursor.indexOf('-');
    int node = dash < 0 ? 0 : Integer.parseInt(cursor.substring(0, dash));
    String nodeCursor = dash < 0 ? cursor : cursor.substring(dash + 1);
    return cluster.primaries().compose(primaries -> {
      if (node >= primaries.size()) {
        return Future.succeededFuture(new Page("0", List.of()));
      }
      return cluster.sendTo(primaries.get(node), scan(nodeCursor, glob, count)).map(reply -> {
        String next = reply.get(0).toString();
        String composite = !"0".equals(next) ? node + "-" + next : node + 1 < primaries.size() ? (node + 1) + "-0" : "0";
        return new Page(composite, keys(reply));
      });
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
  public static Future<Long> delete(Ops ops, List<String> storedKeys) {
    if (ops.redis.cluster() == null) {
      return ops.send(unlink(storedKeys)).map(Response::toLong);
    }
    List<Future<Long>> parts = new ArrayList<>();
    ClusterNodes.bySlot(storedKeys).values().forEach(indexes -> {
      List<String> group = new ArrayList<>(indexes.size());
      indexes.forEach(i -> group.add(storedKeys.get(i)));
      parts.add(ops.send(unlink(group)).map(Response::toLong));
    });
    return Future.all(parts).map(all -> {
      long sum = 0;
      for (int i = 0; i < all.size(); i++) {
        sum += all.<Long>resultAt(i);
      }
      return sum;
    });
  }

  private static Request unlink(List<String> storedKeys) {
    Request del = Request.cmd(Command.UNLINK);
    storedKeys.forEach(del::arg);
    return del;
  }
}
