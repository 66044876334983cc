package io.cachex.service.redis;

import io.cachex.api.contract.OperationException;
import io.cachex.api.CachexError;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.CommandImpl;
import io.vertx.redis.client.impl.RequestImpl;

import java.util.List;

/**
 * WAIT-based acknowledgement ({@code redis.replicaAcks}): a write is acknowledged only once that many
 * replicas confirm they hold it, so a failover to any of them cannot lose it. One WAIT follows each
 * group of commands sent together on a connection and covers all of them (WAIT waits for everything
 * the connection wrote before it).
 */
final class ReplicaAcks {
  final int replicas;
  final long timeoutMs;

  private ReplicaAcks(int replicas, long timeoutMs) {
    this.replicas = replicas;
    this.timeoutMs = timeoutMs;
  }

  /** Null when the option is off (0 replicas). */
  static ReplicaAcks of(int replicas, long timeoutMs) {
    return replicas <= 0 ? null : new ReplicaAcks(replicas, timeoutMs);
  }

  Request waitRequest() {
    return Request.cmd(Command.WAIT).arg(replicas).arg(timeoutMs);
  }

  /** Null when {@code reply} (WAIT's count) confirms, else the failure for the writes it covered. */
  OperationException check(Response reply, Throwable failure) {
    if (failure != null) {
      return new OperationException(CachexError.UNAVAILABLE, "the write reached the primary but its confirmation"
          + " by replicas failed (" + PipelinedLane.describe(failure) + "); it may be lost in a failover");
    }
    long confirmed = reply == null ? 0 : reply.toLong();
    if (confirmed >= replicas) {
      return null;
    }
    return new OperationException(CachexError.UNAVAILABLE, "the write reached the primary but only " + confirmed
        + " of the " + replicas + " replicas required by redis.replicaAcks confirmed it within " + timeoutMs
        + " ms; it may be lost in a failover");
  }

  /**
   * Whether any of the commands may write, from the client's command table (commands it cannot
   * classify, such as EVALSHA, count as writes).
   */
  static boolean writes(List<Request> requests) {
    for (Request r : requests) {
      if (writes(r)) {
        return true;
      }
    }
    return false;
  }

  static boolean writes(Request r) {
    if (r.command() instanceof CommandImpl && r instanceof RequestImpl) {
      return !((CommandImpl) r.command()).isReadOnly(((RequestImpl) r).getArgs());
    }
    return true;
  }
}
