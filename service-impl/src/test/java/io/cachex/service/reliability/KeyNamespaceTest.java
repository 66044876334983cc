package io.cachex.service.reliability;

import io.cachex.service.support.CachexFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One service's key prefix is a namespace other services cannot reach through pattern operations,
 * even when the other services' prefixes are globs that would match it if they were not escaped.
 */
@ExtendWith(VertxExtension.class)
class KeyNamespaceTest {

  @Test
  void patternOpsOfOtherPrefixesNeverReadOrDeleteTheVictimsKeys(Vertx vertx) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    CachexFixture victim = CachexFixture.deploy(vertx, new JsonObject().put("keyPrefix", id + "b"));
    List<String> victimKeys = List.of("x", "y", "b:1:z", "*", "[b]");
    List<CachexFixture> others = new ArrayList<>();
    try {
      for (String k : victimKeys) {
        victim.cache.set(k, 1).await();
      }
      // each would match "<id>b:1:..." if used unescaped in MATCH
      for (String prefix : List.of(id + "*", id + "?", id + "[ab]", id + "[^a]", id + "\\b", id)) {
        others.add(CachexFixture.deploy(vertx, new JsonObject().put("keyPrefix", prefix)));
      }
      for (CachexFixture other : others) {
        String who = "prefix " + other.prefix;
        other.cache.set("own", 1).await();
        assertEquals(List.of("own"), other.cache.keys("*").await(), who + " keys");
        assertEquals(List.of("own"), other.cache.iterKeys("*").await(), who + " iterKeys");
        assertEquals(Set.of("own"), scanAll(other, "*"), who + " scan");
        assertEquals(List.of(), other.cache.keys("*b:1:*").await(), who + " keys with a pattern aimed at the victim");
        assertEquals(0L, other.cache.deletePattern("b:1:*").await(), who + " deletePattern aimed at the victim");
        assertEquals(1L, other.cache.deletePattern("*").await(), who + " deletePattern deletes only its own key");
        other.cache.set("own", 1).await();
        other.cache.clear().await();
        assertEquals(0L, other.redis(Command.EXISTS, other.stored("own", 1)).toLong(), who + " clear cleared its own");
        for (String k : victimKeys) {
          assertEquals(1L, victim.redis(Command.EXISTS, victim.stored(k, 1)).toLong(), who + " left the victim's " + k);
        }
      }
      assertEquals(new HashSet<>(victimKeys), new HashSet<>(victim.cache.keys("*").await()), "the victim still sees all its keys");
      assertEquals((long) victimKeys.size(), victim.cache.clear().await(), "and only its own clear removes them");
    } finally {
      others.forEach(CachexFixture::undeploy);
      victim.undeploy();
    }
  }

  static Set<String> scanAll(CachexFixture fx, String pattern) {
    Set<String> found = new HashSet<>();
    String cursor = "0";
    do {
      JsonObject step = fx.cache.scan(cursor, pattern, 100, null).await();
      for (Object k : step.getJsonArray("keys", new JsonArray())) {
        found.add((String) k);
      }
      cursor = step.getString("cursor");
    } while (!"0".equals(cursor));
    return found;
  }
}
