package io.cachex.service.dispatch;

import io.cachex.service.scripts.LuaScript;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.List;

/**
 * One Redis command of an operation. Usually a request; a script call is kept as a script, so that
 * the dispatcher can send it as EVALSHA (with an EVAL fallback) when it goes alone, and as EVAL
 * inside a pipeline or transaction, where a second round trip would break the order; a command for
 * one given Redis Cluster node (SCAN) names that node.
 */
public final class Cmd {
  private final Request request;
  private final LuaScript script;
  private final List<String> keys;
  private final List<Object> args;
  private final String node;

  private Cmd(Request request, LuaScript script, List<String> keys, List<Object> args, String node) {
    this.request = request;
    this.script = script;
    this.keys = keys;
    this.args = args;
    this.node = node;
  }

  public static Cmd of(Request request) {
    return new Cmd(request, null, null, null, null);
  }

  /**
   * A script call; {@code args} hold Strings, numbers, booleans or Buffers (a Buffer travels as
   * bytes, everything else as its text).
   */
  public static Cmd script(LuaScript script, List<String> keys, List<Object> args) {
    return new Cmd(null, script, List.copyOf(keys), List.copyOf(args), null);
  }

  /** A command for one Redis Cluster node ({@code redis://host:port}), not routed by key. */
  public static Cmd toNode(String node, Request request) {
    return new Cmd(request, null, null, null, node);
  }

  boolean isScript() {
    return script != null;
  }

  LuaScript script() {
    return script;
  }

  String node() {
    return node;
  }

  /** The request as sent inside a batch: a script as EVAL with its source. */
  Request request() {
    return script == null ? request : scriptRequest(Command.EVAL, script.source());
  }

  /** A script as EVALSHA (the node may not know it: see the dispatcher's fallback). */
  Request evalsha() {
    return scriptRequest(Command.EVALSHA, script.sha1());
  }

  private Request scriptRequest(Command command, String scriptOrSha) {
    Request r = Request.cmd(command).arg(scriptOrSha).arg(keys.size());
    keys.forEach(r::arg);
    for (Object a : args) {
      if (a instanceof Buffer) {
        r.arg((Buffer) a);
      } else {
        r.arg(String.valueOf(a));
      }
    }
    return r;
  }

  @Override
  public String toString() {
    return script != null ? "script " + script.name() : request.command().toString();
  }
}
