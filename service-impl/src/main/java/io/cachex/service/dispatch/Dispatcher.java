package io.cachex.service.dispatch;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;
import io.cachex.service.redis.RedisErrors;
import io.cachex.service.redis.RedisGateway;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one path by which commands leave the service: every operation's {@link Plan} runs here,
 * alone ({@link #run}), as part of a pipeline ({@link #pipeline}) or of a transaction
 * ({@link #transaction}). Scripts, lock leases, blocking pops and SCAN walks included: nothing
 * else talks to the {@link RedisGateway}. One dispatcher per service instance, on its event loop.
 */
public final class Dispatcher implements Runner {
  private final RedisGateway gateway;
  private final ScriptGuard scripts;
  private final LargeDecodes large;

  /** {@code decodedSize}: about how many bytes decoding a stored value reads (see {@link LargeDecodes}). */
  public Dispatcher(io.vertx.core.Vertx vertx, RedisGateway gateway, long scriptTimeoutMs,
                    java.util.function.ToLongFunction<io.vertx.core.buffer.Buffer> decodedSize) {
    this.gateway = gateway;
    this.scripts = new ScriptGuard(vertx, gateway, scriptTimeoutMs);
    this.large = new LargeDecodes(vertx, decodedSize);
  }

  public RedisGateway gateway() {
    return gateway;
  }

  // ---- alone ----

  @Override
  public <T> Future<T> run(Plan<T> plan) {
    try {
      if (plan instanceof Plan.Done) {
        return Future.succeededFuture(((Plan.Done<T>) plan).value);
      }
      if (plan instanceof Plan.Round) {
        return runRound((Plan.Round<T>) plan);
      }
      if (plan instanceof Plan.Blocking) {
        Plan.Blocking<T> b = (Plan.Blocking<T>) plan;
        return gateway.sendBlocking(b.request, b.boundMs).map(b.decode::apply);
      }
      if (plan instanceof Plan.Steps) {
        return ((Plan.Steps<T>) plan).body.apply(this);
      }
      return ((Plan.Deferred<T>) plan).plan.compose(this::run);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private <T> Future<T> runRound(Plan.Round<T> round) {
    List<Cmd> cmds = round.cmds;
    if (cmds.isEmpty()) {
      return decode(round, List.of());
    }
    if (cmds.size() == 1) {
      return sendAlone(cmds.get(0)).transform(ar -> decode(round, List.of(ar)));
    }
    List<Future<Response>> replies = sendBackToBack(cmds);
    return Future.join(replies).transform(ignored -> decode(round, outcomes(replies)));
  }

  /**
   * One command on its own: a script by EVALSHA, falling back to EVAL when the node does not know it,
   * and watched by the script guard; a command answered BUSY (not run: a script holds the server) is
   * sent again once that script has been stopped.
   */
  private Future<Response> sendAlone(Cmd cmd) {
    if (cmd.node() != null) {
      return gateway.cluster().sendTo(cmd.node(), cmd.request());
    }
    if (!cmd.isScript()) {
      return scripts.retryWhenBusy(gateway.send(cmd.request()), () -> gateway.send(cmd.request()));
    }
    Future<Response> reply = gateway.send(cmd.evalsha()).recover(err -> RedisErrors.is(err, "NOSCRIPT")
        ? gateway.send(cmd.request()) : Future.failedFuture(err));
    return scripts.retryWhenBusy(scripts.watch(reply), () -> scripts.watch(gateway.send(cmd.request())));
  }

  /** Commands back to back on one connection, in order, each with its own reply. */
  private List<Future<Response>> sendBackToBack(List<Cmd> cmds) {
    List<Request> requests = new ArrayList<>(cmds.size());
    boolean script = false;
    for (Cmd c : cmds) {
      if (c.node() != null) {
        throw new IllegalStateException("a command for one cluster node (" + c + ") runs alone");
      }
      requests.add(c.request());
      script |= c.isScript();
    }
    List<Future<Response>> replies = gateway.sendAll(requests);
    if (script) {
      scripts.watch(Future.join(new ArrayList<>(replies)));
    }
    return replies;
  }

  // ---- batches ----

  /**
   * The plans of a batch with every deferred plan looked up (its lookup runs now, nothing written);
   * a failed lookup is a failed entry.
   */
  public Future<List<AsyncResult<Plan<?>>>> resolve(List<Plan<?>> plans) {
    List<Future<Plan<?>>> resolved = new ArrayList<>(plans.size());
    for (Plan<?> p : plans) {
      resolved.add(resolveOne(p));
    }
    return Future.join(new ArrayList<>(resolved)).transform(ignored -> Future.succeededFuture(new ArrayList<>(resolved)));
  }

  @SuppressWarnings("unchecked")
  private Future<Plan<?>> resolveOne(Plan<?> plan) {
    if (plan instanceof Plan.Deferred) {
      return ((Plan.Deferred<Object>) plan).plan.compose(p -> resolveOne(p));
    }
    return Future.succeededFuture(plan);
  }

  /**
   * Runs resolved plans in the order given: consecutive single-round plans go out together, back to
   * back on one connection, in one round trip; a plan of several steps runs on its own between them.
   * A null plan (refused before it could be built) is skipped. Never fails as a whole.
   */
  public Future<List<AsyncResult<Object>>> pipeline(List<Plan<?>> plans) {
    @SuppressWarnings("unchecked")
    AsyncResult<Object>[] results = new AsyncResult[plans.size()];
    Future<Void> chain = Future.succeededFuture();
    int i = 0;
    while (i < plans.size()) {
      int start = i;
      if (plans.get(i) == null || plans.get(i).singleRound()) {
        while (i < plans.size() && (plans.get(i) == null || plans.get(i).singleRound())) {
          i++;
        }
        int end = i;
        chain = chain.compose(v -> sendSegment(plans, start, end, results));
      } else {
        i++;
        chain = chain.compose(v -> run(plans.get(start)).transform(ar -> {
          results[start] = ar.map(r -> (Object) r);
          return Future.succeededFuture();
        }));
      }
    }
    return chain.map(v -> Arrays.asList(results));
  }

  private Future<Void> sendSegment(List<Plan<?>> plans, int start, int end, AsyncResult<Object>[] results) {
    List<Cmd> cmds = new ArrayList<>();
    for (int i = start; i < end; i++) {
      Plan<?> p = plans.get(i);
      if (p instanceof Plan.Round) {
        cmds.addAll(((Plan.Round<?>) p).cmds);
      }
    }
    List<Future<Response>> replies = cmds.isEmpty() ? List.of() : sendBackToBack(cmds);
    return Future.join(new ArrayList<>(replies)).transform(ignored -> {
      List<AsyncResult<Response>> outcomes = outcomes(replies);
      List<Future<Object>> decoded = new ArrayList<>();
      int at = 0;
      for (int i = start; i < end; i++) {
        Plan<?> p = plans.get(i);
        if (p == null) {
          continue;
        }
        int n = p instanceof Plan.Round ? ((Plan.Round<?>) p).cmds.size() : 0;
        Future<Object> result = settle(p, outcomes.subList(at, at + n));
        results[i] = result;
        decoded.add(result);
        at += n;
      }
      return Future.join(new ArrayList<>(decoded)).transform(x -> Future.<Void>succeededFuture());
    });
  }

  /**
   * Runs single-round plans inside MULTI/EXEC on a connection of their own, bounded by
   * {@code timeoutMs}. Fails as a whole when Valkey/Redis discards the transaction (a command
   * refused while queueing: nothing was applied) or when it cannot be sent; otherwise each plan
   * gets its own result. Valkey/Redis does not roll back a command that fails while EXEC runs (a
   * wrong type): that plan's result is the failure, and the others are applied.
   */
  public Future<List<AsyncResult<Object>>> transaction(List<Plan<?>> plans, long timeoutMs) {
    if (gateway.cluster() != null) {
      return Future.failedFuture(new OperationException(CachexError.NOT_SUPPORTED, "transactions are not available on Redis Cluster"));
    }
    List<Cmd> cmds = new ArrayList<>();
    for (Plan<?> p : plans) {
      if (!p.singleRound()) {
        return Future.failedFuture(new OperationException(CachexError.NOT_SUPPORTED, "an operation needs more than one round trip"));
      }
      if (p instanceof Plan.Round) {
        cmds.addAll(((Plan.Round<?>) p).cmds);
      }
    }
    return gateway.withDedicatedConnection(c -> exec(c, cmds), timeoutMs).compose(outcomes -> {
      List<Future<Object>> results = new ArrayList<>(plans.size());
      int at = 0;
      for (Plan<?> p : plans) {
        int n = p instanceof Plan.Round ? ((Plan.Round<?>) p).cmds.size() : 0;
        results.add(settle(p, outcomes.subList(at, at + n)));
        at += n;
      }
      return Future.join(new ArrayList<>(results)).transform(x -> Future.succeededFuture(new ArrayList<AsyncResult<Object>>(results)));
    });
  }

  /** MULTI, the commands, EXEC written back to back; EXEC's array reply split per command. */
  private static Future<List<AsyncResult<Response>>> exec(RedisConnection c, List<Cmd> cmds) {
    Future<Response> multi = c.send(Request.cmd(Command.MULTI));
    List<Future<Response>> queued = new ArrayList<>(cmds.size());
    for (Cmd cmd : cmds) {
      queued.add(c.send(cmd.request()));
    }
    Future<Response> exec = c.send(Request.cmd(Command.EXEC));
    return Future.join(multi, Future.join(new ArrayList<>(queued)), exec).transform(ignored -> {
      if (multi.failed()) {
        return Future.failedFuture(multi.cause());
      }
      for (Future<Response> q : queued) {
        if (q.failed()) {
          // refused while queueing: Valkey/Redis discarded the whole transaction (EXECABORT)
          return Future.failedFuture(new OperationException(RedisErrors.codeOf(q.cause()),
              "transaction discarded by Valkey/Redis, nothing was written: " + RedisErrors.describe(q.cause())));
        }
      }
      if (exec.failed()) {
        return Future.failedFuture(exec.cause());
      }
      Response replies = exec.result();
      if (replies == null || replies.size() != cmds.size()) {
        return Future.failedFuture(new OperationException(CachexError.INTERNAL, "EXEC replied " + replies + " for " + cmds.size() + " commands"));
      }
      List<AsyncResult<Response>> out = new ArrayList<>(cmds.size());
      for (int i = 0; i < cmds.size(); i++) {
        Response r = replies.get(i);
        out.add(r != null && r.type() == ResponseType.ERROR
            ? Future.failedFuture(r instanceof Throwable ? (Throwable) r : new OperationException(CachexError.INTERNAL, r.toString()))
            : Future.succeededFuture(r));
      }
      return Future.succeededFuture(out);
    });
  }

  // ---- decoding ----

  @SuppressWarnings("unchecked")
  private Future<Object> settle(Plan<?> plan, List<AsyncResult<Response>> replies) {
    if (plan instanceof Plan.Done) {
      return Future.succeededFuture(((Plan.Done<Object>) plan).value);
    }
    return (Future<Object>) decode((Plan.Round<?>) plan, replies);
  }

  /** The plan's result from its replies; a large one is decoded off the event loop. */
  private <T> Future<T> decode(Plan.Round<T> round, List<AsyncResult<Response>> replies) {
    if (round.failOnError) {
      for (AsyncResult<Response> r : replies) {
        if (r.failed()) {
          return Future.failedFuture(r.cause());
        }
      }
    }
    if (large.cost(replies) > LargeDecodes.THRESHOLD_BYTES) {
      return large.run(() -> round.decode.apply(replies));
    }
    try {
      return Future.succeededFuture(round.decode.apply(replies));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static List<AsyncResult<Response>> outcomes(List<Future<Response>> replies) {
    return new ArrayList<>(replies);
  }
}
