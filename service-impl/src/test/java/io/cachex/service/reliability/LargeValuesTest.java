package io.cachex.service.reliability;

import io.cachex.api.CachexError;
import io.cachex.service.support.CachexFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values that are within the limits but expensive: a few kilobytes stored that inflate to megabytes
 * of JSON objects, and values nested deeply. Large decodes run off the event loop, one at a time per
 * service instance, so the instance keeps serving meanwhile; values nested deeper than the limit are
 * refused on the way in and unreadable on the way out, never an INTERNAL error.
 */
@ExtendWith(VertxExtension.class)
class LargeValuesTest {
  static CachexFixture fx;

  @BeforeAll
  static void deploy(Vertx vertx) {
    fx = CachexFixture.deploy(vertx);
  }

  @AfterAll
  static void undeploy() {
    fx.undeploy();
  }

  /** A value in the service's compressed format: {@code [{},{},...]} of about {@code bytes} bytes, LZ4-compressed. */
  static byte[] inflating(int bytes) {
    StringBuilder json = new StringBuilder(bytes + 4).append('[');
    while (json.length() < bytes - 4) {
      json.append("{},");
    }
    json.append("{}]");
    byte[] plain = json.toString().getBytes(StandardCharsets.UTF_8);
    byte[] body = LZ4Factory.fastestInstance().fastCompressor().compress(plain);
    return ByteBuffer.allocate(8 + body.length).put((byte) 0xBE).put((byte) 0xCA).put((byte) 1).put((byte) 1)
        .putInt(plain.length).put(body).array();
  }

  @Test
  void largeDecodesLeaveTheEventLoopServing() throws Exception {
    byte[] bomb = inflating(1024 * 1024);
    fx.redis(Command.SET, fx.stored("bomb", 1), bomb);
    assertTrue(bomb.length < 64 * 1024, "stored " + bomb.length + " bytes");
    // how late the service's event loop runs a 5 ms timer while the values are decoded
    AtomicLong worstLateness = new AtomicLong();
    long[] timer = new long[1];
    long[] expected = {System.nanoTime() + 5_000_000};
    fx.serviceVertx.runOnContext(v -> timer[0] = fx.serviceVertx.setPeriodic(5, id -> {
      long now = System.nanoTime();
      worstLateness.accumulateAndGet(now - expected[0], Math::max);
      expected[0] = now + 5_000_000;
    }));
    List<Future<Object>> reads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      reads.add(fx.cache.get("bomb"));
    }
    long smallReads = 0;
    long start = System.nanoTime();
    while (reads.stream().anyMatch(f -> !f.isComplete()) && System.nanoTime() - start < 60_000_000_000L) {
      assertEquals(null, fx.cache.get("small").await());
      smallReads++;
    }
    fx.serviceVertx.cancelTimer(timer[0]);
    for (Future<Object> r : reads) {
      assertEquals(349_525, ((JsonArray) r.await()).size(), "the whole value");
    }
    long lateMs = worstLateness.get() / 1_000_000;
    System.out.println("large-values figures: 6 reads of a " + bomb.length + "-byte value decoding to 1 MiB of JSON objects; "
        + smallReads + " small reads served meanwhile; the event loop's 5 ms timer ran at most " + lateMs + " ms late");
    assertTrue(smallReads > 6, "other requests were served while the large values were decoded: " + smallReads);
    assertTrue(lateMs < 1000, "the event loop kept running: a timer was at most " + lateMs + " ms late");
  }

  @Test
  void aValueInflatingPastTheCapFailsAtOnce() {
    fx.redis(Command.SET, fx.stored("big-bomb", 1), inflating(9 * 1024 * 1024));
    CachexFixture.assertFails(CachexError.DECODE_FAILED, fx.cache.get("big-bomb"));
  }

  @Test
  void deepNestingIsRefusedNotAnInternalError() {
    Object deep = "leaf";
    for (int i = 0; i < 990; i++) {
      deep = i % 2 == 0 ? new JsonArray().add(deep) : new JsonObject().put("d", deep);
    }
    assertTrue(CachexFixture.assertFails(CachexError.INVALID_ARGUMENT, fx.cache.set("deep", deep)).getMessage().contains("deeper"));
    // written by another client: unreadable, said so
    fx.redis(Command.SET, fx.stored("deep", 1), "[".repeat(150) + "]".repeat(150));
    CachexFixture.assertFails(CachexError.DECODE_FAILED, fx.cache.get("deep"));
    Object fine = "leaf";
    for (int i = 0; i < 90; i++) {
      fine = new JsonArray().add(fine);
    }
    fx.cache.set("ok", fine).await();
    assertEquals(fine, fx.cache.get("ok").await());
  }
}
