package io.cachex.service.ops;

import io.cachex.api.CachexError;
import io.cachex.api.contract.OperationException;
import io.cachex.service.dispatch.Cmd;
import io.cachex.service.dispatch.Plan;
import io.cachex.service.dispatch.Runner;
import io.cachex.service.keys.Glob;
import io.cachex.service.locks.LockKeys;
import io.cachex.service.redis.ClusterNodes;
import io.cachex.service.scripts.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.vertx.redis.client.Request.cmd;

/** What an operator's tool needs: key browser pages, one key inspected, compare-and-set, server info (docs/PROTOCOL.md "Admin actions"). */
public interface AdminOps {
  LuaScript KEY_INFO = LuaScript.fromResource("key_info");
  LuaScript KEY_INSPECT = LuaScript.fromResource("key_inspect");
  LuaScript REPLACE_IF_UNCHANGED = LuaScript.fromResource("replace_if_unchanged");
  LuaScript LOCK_HELD = LuaScript.fromResource("lock_held");
  LuaScript SEMAPHORE_HELD = LuaScript.fromResource("semaphore_held");

  /** Default and largest SCAN COUNT hint of one browser page. */
  int BROWSE_COUNT = 100;
  int MAX_BROWSE_COUNT = 1000;
  int SLOWLOG_COUNT = 20;
  int MAX_SLOWLOG_COUNT = 128;
  /** Stored bytes shown of a value no codec reads. */
  int PREVIEW_BYTES = 64;
  Set<String> TYPES = Set.of("string", "hash", "list", "set", "zset", "stream");
  /** The largest hash, list, set or sorted set inspectKey fingerprints (the script reads it whole). */
  int FINGERPRINT_MAX_ITEMS = 10_000;

  OpContext ctx();

  default Plan<JsonObject> browseKeys(String cursor, String pattern, String type, Integer count, Integer version) {
    OpContext x = ctx();
    String from = cursor == null ? "0" : cursor;
    if (!KeyOps.CURSOR.matcher(from).matches()) {
      throw OperationException.invalid("field 'cursor' must be a cursor returned by browseKeys or scan (decimal digits), got '" + cursor + "'");
    }
    if (count != null && (count <= 0 || count > MAX_BROWSE_COUNT)) {
      throw OperationException.invalid("field 'count' must be an integer from 1 to " + MAX_BROWSE_COUNT);
    }
    if (type != null && !TYPES.contains(type)) {
      throw OperationException.invalid("field 'type' must be one of " + new java.util.TreeSet<>(TYPES) + ", got '" + type + "'");
    }
    String p = pattern == null ? "*" : pattern;
    if (p.isEmpty()) {
      throw OperationException.invalid("field 'pattern' must be a non-empty glob pattern (use \"*\" for every key)");
    }
    String glob = x.keys.makePattern(p, x.version(version));
    return Plan.steps(runner -> KeyScan.page(runner, x, from, glob, count == null ? BROWSE_COUNT : count)
        .compose(page -> describe(runner, x, page.storedKeys(), type)
            .map(keys -> new JsonObject().put("cursor", page.cursor()).put("keys", keys))));
  }

  /** Type, TTL and size of each stored key (one script call per key, all in one round trip), filtered by type. */
  private static Future<JsonArray> describe(Runner runner, OpContext x, List<String> storedKeys, String type) {
    if (storedKeys.isEmpty()) {
      return Future.succeededFuture(new JsonArray());
    }
    List<Cmd> cmds = new ArrayList<>(storedKeys.size());
    for (String k : storedKeys) {
      cmds.add(Cmd.script(KEY_INFO, List.of(k), List.of()));
    }
    return runner.run(Plan.all(cmds, replies -> {
      JsonArray out = new JsonArray();
      for (int i = 0; i < replies.size(); i++) {
        Response r = replies.get(i);
        String t = r.get(0).toString();
        if ("none".equals(t) || (type != null && !type.equals(t))) {
          continue; // expired since the SCAN, or filtered out
        }
        long pttl = r.get(1).toLong();
        out.add(new JsonObject().put("key", x.callerKey(storedKeys.get(i))).put("type", t)
            .put("ttl", pttl < 0 ? null : pttl).put("size", r.get(2).toLong()));
      }
      return out;
    }));
  }

  default Plan<JsonObject> inspectKey(String key, Integer version) {
    OpContext x = ctx();
    return Plan.of(Cmd.script(KEY_INSPECT, List.of(x.key(key, version)), List.of(FINGERPRINT_MAX_ITEMS)), r -> {
      String t = r.get(0).toString();
      if ("none".equals(t)) {
        return null;
      }
      long pttl = r.get(1).toLong();
      JsonObject out = new JsonObject().put("key", key).put("type", t).put("ttl", pttl < 0 ? null : pttl)
          .put("size", r.get(2).toLong());
      if (r.get(3) != null) {
        out.put("fingerprint", r.get(3).toString());
      }
      if ("string".equals(t)) {
        try {
          out.put("value", x.decode(r.get(4)));
        } catch (OperationException e) {
          if (e.error() != CachexError.DECODE_FAILED) {
            throw e;
          }
          out.put("undecodable", e.getMessage()).put("preview", preview(r.get(4).toBuffer()));
        }
      }
      return out;
    });
  }

  /** The first stored bytes as text: printable ASCII as is, everything else as \xNN. */
  private static String preview(Buffer bytes) {
    StringBuilder s = new StringBuilder();
    int n = Math.min(bytes.length(), PREVIEW_BYTES);
    for (int i = 0; i < n; i++) {
      int b = bytes.getByte(i) & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '\\') {
        s.append((char) b);
      } else {
        s.append(String.format("\\x%02x", b));
      }
    }
    return bytes.length() > n ? s.append("...").toString() : s.toString();
  }

  default Plan<Boolean> replaceIfUnchanged(String key, String fingerprint, String type, Integer version, JsonArray value) {
    OpContext x = ctx();
    if (!fingerprint.matches("[0-9a-f]{40}")) {
      throw OperationException.invalid("field 'fingerprint' must be the 40 hex digits inspectKey reported");
    }
    String t = type == null ? "string" : type;
    Object content = OpContext.unbox(value);
    List<Object> args = new ArrayList<>(List.of(fingerprint, t, FINGERPRINT_MAX_ITEMS));
    switch (t) {
      case "string" -> args.add(x.encode(content));
      case "hash" -> {
        if (!(content instanceof JsonObject)) {
          throw OperationException.invalid("field 'value' of a hash must be [{field: value, ...}]");
        }
        JsonObject fields = (JsonObject) content;
        checkItems(fields.size());
        for (String f : fields.fieldNames()) {
          args.add(f);
          args.add(x.encode(fields.getValue(f)));
        }
      }
      case "list", "set" -> {
        JsonArray items = collection(content, "[[element, ...]]");
        for (Object item : items) {
          args.add(x.encode(item));
        }
      }
      case "zset" -> {
        JsonArray entries = collection(content, "[[[member, score], ...]]");
        for (int i = 0; i < entries.size(); i++) {
          Object e = entries.getValue(i);
          if (!(e instanceof JsonArray) || ((JsonArray) e).size() != 2 || !(((JsonArray) e).getValue(1) instanceof Number)
              || Double.isNaN(((Number) ((JsonArray) e).getValue(1)).doubleValue())) {
            throw OperationException.invalid("field 'value' element " + i + " must be a pair [member, score] with a numeric score");
          }
          args.add(SortedSetOps.formatScore(((Number) ((JsonArray) e).getValue(1)).doubleValue()));
          args.add(x.encode(((JsonArray) e).getValue(0)));
        }
      }
      default -> throw OperationException.invalid("field 'type' must be one of string, hash, list, set, zset, got '" + type + "'");
    }
    return Plan.of(Cmd.script(REPLACE_IF_UNCHANGED, List.of(x.key(key, version)), args), r -> r.toLong() == 1);
  }

  private static JsonArray collection(Object content, String shape) {
    if (!(content instanceof JsonArray)) {
      throw OperationException.invalid("field 'value' must be " + shape);
    }
    checkItems(((JsonArray) content).size());
    return (JsonArray) content;
  }

  private static void checkItems(int n) {
    if (n > FINGERPRINT_MAX_ITEMS) {
      throw new OperationException(CachexError.TOO_LARGE, "the admin edits collections of at most " + FINGERPRINT_MAX_ITEMS + " items, got " + n);
    }
  }

  default Plan<JsonObject> heldLeases(String kind, String cursor, Integer count, Integer version) {
    OpContext x = ctx();
    boolean locks = "lock".equals(kind);
    if (!locks && !"semaphore".equals(kind)) {
      throw OperationException.invalid("field 'kind' must be \"lock\" or \"semaphore\", got '" + kind + "'");
    }
    String from = cursor == null ? "0" : cursor;
    if (!KeyOps.CURSOR.matcher(from).matches()) {
      throw OperationException.invalid("field 'cursor' must be a cursor returned by heldLeases (decimal digits), got '" + cursor + "'");
    }
    if (count != null && (count <= 0 || count > MAX_BROWSE_COUNT)) {
      throw OperationException.invalid("field 'count' must be an integer from 1 to " + MAX_BROWSE_COUNT);
    }
    int v = x.version(version);
    // the service's own keys beside each lock (its fencing counter) and semaphore (its claims)
    String glob = Glob.escape(x.keys.internalKey(locks ? "fence:" : "sem:")) + (locks ? "*" : "*:claims");
    return Plan.steps(runner -> KeyScan.page(runner, x, from, glob, count == null ? BROWSE_COUNT : count).compose(page -> {
      List<String> names = new ArrayList<>();
      List<Cmd> cmds = new ArrayList<>();
      for (String internal : page.storedKeys()) {
        String beside = locks ? internal : internal.substring(0, internal.length() - ":claims".length());
        String stored = null;
        String name = null;
        for (String candidate : storedKeysOf(x, locks ? "fence" : "sem", beside)) {
          name = callerKeyAt(x, candidate, v);
          if (name != null) {
            stored = candidate;
            break;
          }
        }
        if (name != null) {
          names.add(name);
          cmds.add(locks ? Cmd.script(LOCK_HELD, List.of(stored, internal), List.of()) : Cmd.script(SEMAPHORE_HELD, List.of(internal), List.of()));
        }
      }
      if (cmds.isEmpty()) {
        return Future.succeededFuture(new JsonObject().put("cursor", page.cursor()).put("leases", new JsonArray()));
      }
      return runner.run(Plan.all(cmds, replies -> {
        JsonArray leases = new JsonArray();
        for (int i = 0; i < replies.size(); i++) {
          Response r = replies.get(i);
          if (locks && r.get(0).toLong() >= 0 && r.get(1) != null) {
            leases.add(new JsonObject().put("name", names.get(i)).put("fencingToken", r.get(1).toLong()).put("ttl", r.get(0).toLong()));
          } else if (!locks && r.size() > 0) {
            JsonArray claims = new JsonArray();
            long units = 0;
            for (int j = 0; j < r.size(); j += 2) {
              units += r.get(j).toLong();
              claims.add(new JsonObject().put("weight", r.get(j).toLong()).put("ttl", r.get(j + 1).toLong()));
            }
            leases.add(new JsonObject().put("name", names.get(i)).put("units", units).put("claims", claims));
          }
        }
        return new JsonObject().put("cursor", page.cursor()).put("leases", leases);
      }));
    }));
  }

  /**
   * The stored keys a key of the service's own {@code kind} data may sit beside, each checked by building it
   * again. Two may fit when the prefix is a hash tag (the stored key kept as it is, or a shorter one wrapped
   * whole in braces): the caller's key at the version decides.
   */
  private static List<String> storedKeysOf(OpContext x, String kind, String beside) {
    String head = x.keys.internalKey(kind + ":");
    if (!beside.startsWith(head)) {
      return List.of();
    }
    String rest = beside.substring(head.length());
    List<String> candidates = rest.length() > 2 && rest.startsWith("{") && rest.endsWith("}")
        ? List.of(rest.substring(1, rest.length() - 1), rest) : List.of(rest);
    List<String> out = new ArrayList<>();
    for (String candidate : candidates) {
      if (LockKeys.beside(x.keys, null, kind, candidate).equals(beside)) {
        out.add(candidate);
      }
    }
    return out;
  }

  /** The caller's key of a stored key when it is at version {@code v}, else null. */
  private static String callerKeyAt(OpContext x, String stored, int v) {
    try {
      String caller = x.callerKey(stored);
      return caller != null && x.key(caller, v).equals(stored) ? caller : null;
    } catch (RuntimeException e) {
      return null; // not a key of this prefix
    }
  }

  default Plan<JsonObject> serverInfo(Integer slowlogCount) {
    OpContext x = ctx();
    if (slowlogCount != null && (slowlogCount < 0 || slowlogCount > MAX_SLOWLOG_COUNT)) {
      throw OperationException.invalid("field 'slowlogCount' must be an integer from 0 to " + MAX_SLOWLOG_COUNT);
    }
    int n = slowlogCount == null ? SLOWLOG_COUNT : slowlogCount;
    Request info = cmd(Command.INFO);
    Request slowlog = cmd(Command.SLOWLOG).arg("GET").arg(n);
    if (x.cluster == null) {
      return Plan.all(List.of(Cmd.of(info), Cmd.of(slowlog)), AdminOps::serverReport);
    }
    // no key to route by: the first primary of the slot map (a command for one node goes alone)
    return Plan.steps(runner -> runner.run(Plan.of(ClusterNodes.slotsRequest(), ClusterNodes::primaries))
        .compose(primaries -> runner.run(Plan.of(Cmd.toNode(primaries.get(0), info), r -> r))
            .compose(infoReply -> runner.run(Plan.of(Cmd.toNode(primaries.get(0), slowlog), r -> r))
                .map(slowlogReply -> serverReport(List.of(infoReply, slowlogReply))))));
  }

  private static JsonObject serverReport(List<Response> replies) {
    JsonObject sections = new JsonObject();
    JsonObject section = null;
    for (String line : replies.get(0).toString().split("\r?\n")) {
      if (line.startsWith("# ")) {
        section = new JsonObject();
        sections.put(line.substring(2).trim().toLowerCase(java.util.Locale.ROOT), section);
      } else if (section != null && line.indexOf(':') > 0) {
        int colon = line.indexOf(':');
        section.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    JsonArray slowlog = new JsonArray();
    for (Response e : replies.get(1)) {
      JsonArray command = new JsonArray();
      for (Response a : e.get(3)) {
        command.add(a.toString());
      }
      JsonObject entry = new JsonObject().put("id", e.get(0).toLong()).put("time", e.get(1).toLong())
          .put("micros", e.get(2).toLong()).put("command", command);
      if (e.size() > 4) {
        entry.put("client", e.get(4).toString());
      }
      slowlog.add(entry);
    }
    return new JsonObject().put("info", sections).put("slowlog", slowlog);
  }
}
