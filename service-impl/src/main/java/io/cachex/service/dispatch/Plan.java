package io.cachex.service.dispatch;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.function.Function;

/**
 * What an operation does to Valkey/Redis, as a value: built from the operation's arguments without
 * sending anything, then run by the {@link Dispatcher} alone, in a pipeline, or in a transaction.
 * Because building and sending are two steps, a pipeline records nothing and intercepts nothing: it
 * sends the commands of its plans in order, and a transaction wraps them in MULTI/EXEC.
 * <p>
 * Kinds: {@link #value} (no command), a <em>round</em> of commands sent back to back ({@link #of},
 * {@link #script}, {@link #all}, {@link #each}), {@link #blocking} (waits server-side, on a
 * connection of its own), {@link #steps} (several round trips that depend on each other) and
 * {@link #deferred} (needs a lookup first). Decoders may throw {@code OperationException}.
 */
public abstract class Plan<T> {

  private Plan() {
  }

  /** The result is known; nothing is sent. */
  public static <T> Plan<T> value(T value) {
    return new Done<>(value);
  }

  /** One command; an error reply fails the operation. */
  public static <T> Plan<T> of(Request request, Function<Response, T> decode) {
    return new Round<>(List.of(Cmd.of(request)), true, replies -> decode.apply(replies.get(0).result()));
  }

  /** One command given as a {@link Cmd} (a script call, a command for one node). */
  public static <T> Plan<T> of(Cmd cmd, Function<Response, T> decode) {
    return new Round<>(List.of(cmd), true, replies -> decode.apply(replies.get(0).result()));
  }

  /** Commands sent back to back in one round trip; any error reply fails the operation. */
  public static <T> Plan<T> all(List<Cmd> cmds, Function<List<Response>, T> decode) {
    return new Round<>(List.copyOf(cmds), true, replies -> decode.apply(replies.stream().map(AsyncResult::result).toList()));
  }

  /** Commands sent back to back in one round trip; the decoder sees each command's own outcome. */
  public static <T> Plan<T> each(List<Cmd> cmds, Function<List<AsyncResult<Response>>, T> decode) {
    return new Round<>(List.copyOf(cmds), false, decode);
  }

  /**
   * A command that waits server-side (BLPOP...): alone only, on a connection nobody else uses, bounded
   * by {@code boundMs} in all.
   */
  public static <T> Plan<T> blocking(Request request, long boundMs, Function<Response, T> decode) {
    return new Blocking<>(request, boundMs, decode);
  }

  /** Several round trips, each through the runner; inside a pipeline it runs as a step of its own. */
  public static <T> Plan<T> steps(Function<Runner, Future<T>> body) {
    return new Steps<>(body);
  }

  /** A plan known once {@code plan} completes (a lookup that sends nothing that writes). */
  public static <T> Plan<T> deferred(Future<Plan<T>> plan) {
    return new Deferred<>(plan);
  }

  /** The same commands, with the result mapped. */
  public abstract <R> Plan<R> map(Function<T, R> f);

  /** Whether it can be one part of one round trip (inside a transaction, in particular). */
  public boolean singleRound() {
    return false;
  }

  // ---- kinds (the dispatcher switches on them) ----

  static final class Done<T> extends Plan<T> {
    final T value;

    Done(T value) {
      this.value = value;
    }

    @Override
    public <R> Plan<R> map(Function<T, R> f) {
      return new Round<>(List.of(), false, ignored -> f.apply(value));
    }

    @Override
    public boolean singleRound() {
      return true;
    }
  }

  static final class Round<T> extends Plan<T> {
    final List<Cmd> cmds;
    /** Fail the operation with the first error reply, before decoding. */
    final boolean failOnError;
    final Function<List<AsyncResult<Response>>, T> decode;

    Round(List<Cmd> cmds, boolean failOnError, Function<List<AsyncResult<Response>>, T> decode) {
      this.cmds = cmds;
      this.failOnError = failOnError;
      this.decode = decode;
    }

    @Override
    public <R> Plan<R> map(Function<T, R> f) {
      return new Round<>(cmds, failOnError, decode.andThen(f));
    }

    @Override
    public boolean singleRound() {
      return true;
    }
  }

  static final class Blocking<T> extends Plan<T> {
    final Request request;
    final long boundMs;
    final Function<Response, T> decode;

    Blocking(Request request, long boundMs, Function<Response, T> decode) {
      this.request = request;
      this.boundMs = boundMs;
      this.decode = decode;
    }

    @Override
    public <R> Plan<R> map(Function<T, R> f) {
      return new Blocking<>(request, boundMs, decode.andThen(f));
    }
  }

  static final class Steps<T> extends Plan<T> {
    final Function<Runner, Future<T>> body;

    Steps(Function<Runner, Future<T>> body) {
      this.body = body;
    }

    @Override
    public <R> Plan<R> map(Function<T, R> f) {
      return new Steps<>(body.andThen(fut -> fut.map(f)));
    }
  }

  static final class Deferred<T> extends Plan<T> {
    final Future<Plan<T>> plan;

    Deferred(Future<Plan<T>> plan) {
      this.plan = plan;
    }

    @Override
    public <R> Plan<R> map(Function<T, R> f) {
      return new Deferred<>(plan.map(p -> p.map(f)));
    }
  }
}
