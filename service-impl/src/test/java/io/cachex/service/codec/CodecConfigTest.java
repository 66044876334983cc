package io.cachex.service.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CodecConfigTest {

  static JsonObject effective(JsonObject config) {
    JsonObject d = ValueCodec.fromConfig(config).describe();
    return new JsonObject().put("serializers", d.getJsonArray("serializers"))
        .put("compressors", d.getJsonArray("compressors")).put("compressMinLength", d.getInteger("compressMinLength"))
        .put("maxDecompressedBytes", d.getInteger("maxDecompressedBytes"));
  }

  static String rejection(JsonObject config) {
    return assertThrows(IllegalArgumentException.class, () -> ValueCodec.fromConfig(config)).getMessage();
  }

  @Test
  void nullAndEmptyGiveTheDefaults() {
    assertSame(ValueCodec.defaults(), ValueCodec.fromConfig(null));
    assertSame(ValueCodec.defaults(), ValueCodec.fromConfig(new JsonObject()));
    JsonObject d = ValueCodec.defaults().describe();
    assertEquals(new JsonArray().add("json"), d.getJsonArray("serializers"));
    assertEquals(new JsonArray().add("lz4"), d.getJsonArray("compressors"));
    assertEquals(256, d.getInteger("compressMinLength"));
    assertEquals(8 * 1024 * 1024, d.getInteger("maxDecompressedBytes"));
    assertEquals(new JsonObject().put("lz4", 1).put("deflate", 2), d.getJsonObject("readableCompressorIds"));
    assertTrue(d.getBoolean("readsLz4Frames"));
  }

  @Test
  void fullConfig() {
    JsonObject config = new JsonObject().put("serializers", new JsonArray().add("cbor").add("json"))
        .put("compressors", new JsonArray().add("deflate").add("lz4")).put("compressMinLength", 64)
        .put("maxDecompressedBytes", 1 << 20);
    assertEquals(config, effective(config));
  }

  @Test
  void singularAndStringFormsAreOneElementChains() {
    JsonObject e = effective(new JsonObject().put("serializer", "smile").put("compressor", "deflate"));
    assertEquals(new JsonArray().add("smile"), e.getJsonArray("serializers"));
    assertEquals(new JsonArray().add("deflate"), e.getJsonArray("compressors"));
    assertEquals(new JsonArray().add("cbor"),
        effective(new JsonObject().put("serializers", "cbor")).getJsonArray("serializers"));
    assertEquals(new JsonArray().add("cbor").add("json"),
        effective(new JsonObject().put("serializer", new JsonArray().add("cbor").add("json"))).getJsonArray("serializers"));
  }

  @Test
  void emptyOrNullCompressorsSwitchCompressionOff() {
    assertEquals(new JsonArray(), effective(new JsonObject().put("compressors", new JsonArray())).getJsonArray("compressors"));
    assertEquals(new JsonArray(), effective(new JsonObject().putNull("compressor")).getJsonArray("compressors"));
  }

  @Test
  void unknownNamesListTheValidOnes() {
    String m = rejection(new JsonObject().put("serializers", new JsonArray().add("json").add("pickle")));
    assertTrue(m.contains("'pickle'") && m.contains("[json, cbor, smile]"), m);
    m = rejection(new JsonObject().put("compressor", "zstd"));
    assertTrue(m.contains("'zstd'") && m.contains("[lz4, deflate]"), m);
  }

  @Test
  void badShapesAreRejected() {
    assertTrue(rejection(new JsonObject().put("minLength", 10)).contains("unknown option 'minLength'"));
    assertTrue(rejection(new JsonObject().put("serializer", "json").put("serializers", new JsonArray().add("json")))
        .contains("either"));
    assertTrue(rejection(new JsonObject().put("serializers", new JsonArray())).contains("empty"));
    assertTrue(rejection(new JsonObject().putNull("serializers")).contains("must not be null"));
    assertTrue(rejection(new JsonObject().put("serializers", new JsonArray().add("json").add("json"))).contains("twice"));
    assertTrue(rejection(new JsonObject().put("serializers", new JsonArray().add(1))).contains("strings"));
    assertTrue(rejection(new JsonObject().put("compressors", 5)).contains("a name or a list"));
    for (Object bad : new Object[] {-1, 1.5, "256", true, 3_000_000_000L}) {
      assertTrue(rejection(new JsonObject().put("compressMinLength", bad)).contains("'compressMinLength' must be"),
          String.valueOf(bad));
    }
    assertTrue(rejection(new JsonObject().put("maxDecompressedBytes", 0)).contains("from 1"));
  }
}
