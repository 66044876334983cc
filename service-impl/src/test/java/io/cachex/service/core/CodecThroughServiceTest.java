package io.cachex.service.core;

import io.cachex.api.CachexError;
import io.cachex.service.support.CachexFixture;
import io.cachex.service.support.ServiceTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the codec chain does to stored bytes, seen through the proxy and a raw client. */
@Tag("contract")
class CodecThroughServiceTest extends ServiceTest {

  byte[] stored(CachexFixture f, String key) {
    return f.redis(Command.GET, f.stored(key, 1)).toBytes();
  }

  @Test
  void valuesOverTheThresholdAreCompressedWithAHeader() {
    String big = "compressible ".repeat(100);
    fx.cache.set("big", big).await();
    byte[] raw = stored(fx, "big");
    assertEquals((byte) 0xBE, raw[0]);
    assertEquals((byte) 0xCA, raw[1]);
    assertEquals(1, raw[3], "codec id 1 = lz4");
    assertTrue(raw.length < big.length() / 4, "compressed to " + raw.length + " bytes");
    assertEquals(big, fx.cache.get("big").await());

    String small = "x".repeat(200); // JSON "xxx…" is 202 bytes: under the 256-byte threshold
    fx.cache.set("small", small).await();
    assertArrayEquals(("\"" + small + "\"").getBytes(StandardCharsets.UTF_8), stored(fx, "small"));
  }

  @Test
  void aServiceWithAnotherSerializerChainReadsOldValues(Vertx vertx) {
    JsonObject cbor = new JsonObject().put("keyPrefix", fx.prefix).put("codec", new JsonObject().put("serializers", new JsonArray().add("cbor")));
    CachexFixture writer = CachexFixture.deploy(vertx, cbor);
    JsonObject migrating = new JsonObject().put("keyPrefix", fx.prefix)
        .put("codec", new JsonObject().put("serializers", new JsonArray().add("json").add("cbor")));
    CachexFixture reader = CachexFixture.deploy(vertx, migrating);
    try {
      JsonObject doc = new JsonObject().put("name", "Ada").put("tags", new JsonArray().add("x"));
      writer.cache.set("migrated", doc).await();
      byte[] raw = stored(fx, "migrated");
      assertEquals((byte) 0xD9, raw[0], "written as self-described CBOR");
      assertEquals(doc, reader.cache.get("migrated").await(), "a [json, cbor] chain reads CBOR values");
      CachexFixture.assertFails(CachexError.DECODE_FAILED, fx.cache.get("migrated")); // json only: cannot read it
    } finally {
      writer.undeploy();
      reader.undeploy();
    }
  }

  @Test
  void readsWhatDjangoCachexWroteWithJsonAndLz4Frame() throws Exception {
    // django-cachex: json.dumps(value).encode(), then lz4.frame.compress above its threshold
    String json = "{\"user\": \"ada\", \"roles\": [\"admin\", \"dev\"], \"bio\": \"" + "lorem ipsum ".repeat(60) + "\"}";
    boolean lz4OnPath = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "lz4")));
    if (!lz4OnPath && !"true".equals(System.getenv("CI"))) {
      org.junit.jupiter.api.Assumptions.abort("lz4 is not on PATH (apt-get install lz4; CI installs it)");
    }
    Path in = Files.createTempFile("django", ".json");
    Path out = Files.createTempFile("django", ".lz4");
    Files.writeString(in, json);
    Process lz4 = new ProcessBuilder("lz4", "-q", "-f", "-B4", "-BD", "--content-size", in.toString(), out.toString())
        .redirectErrorStream(true).start();
    assertTrue(lz4.waitFor(30, TimeUnit.SECONDS) && lz4.exitValue() == 0, "lz4 CLI failed (apt-get install lz4)");
    byte[] frame = Files.readAllBytes(out);
    assertArrayEquals(new byte[] {0x04, 0x22, 0x4D, 0x18}, java.util.Arrays.copyOf(frame, 4));
    fx.redis(Command.SET, fx.stored("from-django", 1), frame);
    JsonObject value = (JsonObject) fx.cache.get("from-django").await();
    assertEquals("ada", value.getString("user"));
    assertEquals(new JsonArray().add("admin").add("dev"), value.getJsonArray("roles"));
  }
}
