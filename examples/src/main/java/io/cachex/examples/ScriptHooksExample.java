package io.cachex.examples;

import io.cachex.api.CachexService;
import io.cachex.service.scripts.ScriptHooks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Lua scripts with hooks. A pre-hook rewrites the caller's keys and args before the script runs, a
 * post-hook rewrites the reply:
 * <ul>
 *   <li>{@code full_encode_pre} (built-in) prefixes the keys ({@code prefix:version:key}) and encodes
 *       the args in the service's stored form, so the script writes values {@code get}/{@code lrange}
 *       can read back;</li>
 *   <li>{@code decode_single_post} / {@code decode_list_post} (built-in) decode what the script returns;</li>
 *   <li>{@code history_summary_post} is registered in this JVM through {@link ScriptHooks}.</li>
 * </ul>
 */
public final class ScriptHooksExample {
  /** Compare-and-set: replaces the value only when the stored form equals the expected one; returns the value now stored. */
  static final String COMPARE_AND_SET = """
      local current = redis.call('GET', KEYS[1])
      if current == ARGV[1] then
        redis.call('SET', KEYS[1], ARGV[2])
        return ARGV[2]
      end
      return current
      """;

  /** Appends an entry to a history list, keeps the last ARGV[2] entries, returns them. */
  static final String APPEND_TO_HISTORY = """
      redis.call('RPUSH', KEYS[1], ARGV[1])
      redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
      return redis.call('LRANGE', KEYS[1], 0, -1)
      """;

  private ScriptHooksExample() {
  }

  /** A JVM-registered post-hook: decodes the list the script returned and summarizes it. */
  static void registerSummaryHook(String serviceAddress) {
    ScriptHooks.forService(serviceAddress).registerPostHook("history_summary_post", (h, reply) -> {
      JsonArray entries = h.decodeValues((JsonArray) reply);
      return new JsonObject().put("count", entries.size()).put("latest", entries.getValue(entries.size() - 1));
    });
  }

  /** Sets {@code key} to {@code update} only if it holds {@code expected}; replies with what is stored afterwards. */
  public static Future<Object> compareAndSet(CachexService cache, String key, Object expected, Object update) {
    return cache.evalScript(COMPARE_AND_SET, List.of(key), new JsonArray().add(expected).add(update),
        "full_encode_pre", "decode_single_post", null);
  }

  /** Appends {@code entry} to the history list at {@code key}; replies with the last {@code keep} entries, decoded. */
  public static Future<Object> appendToHistory(CachexService cache, String key, Object entry, int keep) {
    return cache.evalScript(APPEND_TO_HISTORY, List.of(key), new JsonArray().add(entry).add(keep),
        "full_encode_pre", "decode_list_post", null);
  }

  /** The same script with the custom post-hook: {"count": n, "latest": entry}. */
  public static Future<Object> appendAndSummarize(CachexService cache, String key, Object entry, int keep) {
    return cache.evalScript(APPEND_TO_HISTORY, List.of(key), new JsonArray().add(entry).add(keep),
        "full_encode_pre", "history_summary_post", null);
  }

  public static void main(String[] args) {
    try (ExampleSupport example = ExampleSupport.start()) {
      CachexService cache = example.newNode("examples");
      registerSummaryHook(CachexService.DEFAULT_ADDRESS);
      String doc = "demo:config";
      String history = "demo:history";
      cache.deleteMany(List.of(doc, history)).await(); // a clean start on a server that is not fresh

      JsonObject v1 = new JsonObject().put("mode", "fast").put("rev", 1);
      JsonObject v2 = new JsonObject().put("mode", "safe").put("rev", 2);
      cache.set(doc, v1).await();
      System.out.println("stored " + v1);
      System.out.println("CAS expecting rev 1 → " + compareAndSet(cache, doc, v1, v2).await());
      System.out.println("CAS expecting rev 1 again (stale) → " + compareAndSet(cache, doc, v1, new JsonObject().put("rev", 3)).await());
      System.out.println("get → " + cache.get(doc).await());

      for (int rev = 1; rev <= 4; rev++) {
        Object kept = appendToHistory(cache, history, new JsonObject().put("rev", rev), 3).await();
        System.out.println("history after rev " + rev + " (last 3) → " + kept);
      }
      System.out.println("lrange reads the script's entries → " + cache.lrange(history, 0, -1).await());
      System.out.println("custom history_summary_post → " + appendAndSummarize(cache, history, new JsonObject().put("rev", 5), 3).await());
      cache.deleteMany(List.of(doc, history)).await();
    }
  }
}
