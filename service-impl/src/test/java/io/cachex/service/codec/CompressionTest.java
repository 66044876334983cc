package io.cachex.service.codec;

import static io.cachex.service.codec.RoundTripTest.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompressionTest {

  /** A string whose JSON text ("...") is exactly {@code jsonLength} bytes and compresses well. */
  static String compressible(int jsonLength) {
    return "abcdefgh".repeat(jsonLength / 8 + 1).substring(0, jsonLength - 2);
  }

  /** Printable ASCII without '"' and '\', random: LZ4 finds nothing to compress. */
  static String incompressible(int jsonLength, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder();
    while (sb.length() < jsonLength - 2) {
      char ch = (char) (33 + random.nextInt(94));
      if (ch != '"' && ch != '\\') {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  static int headerLength(byte[] stored) {
    return ((stored[4] & 0xFF) << 24) | ((stored[5] & 0xFF) << 16) | ((stored[6] & 0xFF) << 8) | (stored[7] & 0xFF);
  }

  static boolean hasHeader(byte[] stored, int codecId) {
    return stored.length > ValueCodec.HEADER_LENGTH && stored[0] == (byte) 0xBE && stored[1] == (byte) 0xCA
        && stored[2] == 1 && stored[3] == codecId;
  }

  @Test
  void thresholdIsStrictlyLongerThanCompressMinLength() throws DecodeException {
    ValueCodec c = ValueCodec.defaults();
    for (int length : new int[] {255, 256}) {
      String s = compressible(length);
      byte[] stored = c.encodeToBytes(s);
      assertEquals(length, stored.length, "a " + length + "-byte payload is stored as it is");
      assertEquals("\"" + s + "\"", ascii(stored));
      assertEquals(s, c.decode(stored));
    }
    String s = compressible(257);
    byte[] stored = c.encodeToBytes(s);
    assertTrue(hasHeader(stored, Lz4Compressor.ID), "257 bytes are compressed");
    assertEquals(257, headerLength(stored));
    assertEquals(s, c.decode(stored));
  }

  @Test
  void compressibleValueGetsTheHeaderAndShrinks() throws DecodeException {
    ValueCodec c = ValueCodec.defaults();
    String s = compressible(1000);
    byte[] stored = c.encodeToBytes(s);
    assertTrue(hasHeader(stored, Lz4Compressor.ID));
    assertEquals(1000, headerLength(stored), "uncompressed length, big-endian");
    assertTrue(stored.length < 100, "1000 repetitive bytes should shrink a lot, got " + stored.length);
    assertEquals(s, c.decode(stored));
    assertArrayEquals(stored, c.encode(s).getBytes());
  }

  @Test
  void incompressibleValueStaysRaw() throws DecodeException {
    ValueCodec c = ValueCodec.defaults();
    String s = incompressible(1000, 1);
    byte[] stored = c.encodeToBytes(s);
    assertEquals(1000, stored.length);
    assertEquals("\"" + s + "\"", ascii(stored), "kept raw: compression would not shrink it");
    assertEquals(s, c.decode(stored));
  }

  @Test
  void noCompressorsMeansNoCompressionButStillReadsCompressedValues() throws DecodeException {
    ValueCodec off = ValueCodec.fromConfig(new JsonObject().put("compressors", new JsonArray()));
    String s = compressible(5000);
    byte[] raw = off.encodeToBytes(s);
    assertEquals(5000, raw.length);
    assertEquals('"', raw[0]);

    byte[] lz4 = ValueCodec.defaults().encodeToBytes(s);
    assertTrue(hasHeader(lz4, Lz4Compressor.ID));
    assertEquals(s, off.decode(lz4), "compressors [] must still read lz4-compressed values (migration safety)");
  }

  @Test
  void everyKnownCodecIdIsReadableWhateverTheChain() throws DecodeException {
    ValueCodec deflate = ValueCodec.fromConfig(new JsonObject().put("compressors", new JsonArray().add("deflate")));
    ValueCodec lz4 = ValueCodec.defaults();
    JsonArray value = new JsonArray();
    for (int i = 0; i < 100; i++) {
      value.add(new JsonObject().put("id", i).put("name", "item " + i));
    }
    byte[] deflated = deflate.encodeToBytes(value);
    assertTrue(hasHeader(deflated, DeflateCompressor.ID));
    assertEquals(value, lz4.decode(deflated));

    byte[] lz4ed = lz4.encodeToBytes(value);
    assertTrue(hasHeader(lz4ed, Lz4Compressor.ID));
    assertEquals(value, deflate.decode(lz4ed));

    ValueCodec both = ValueCodec.fromConfig(new JsonObject().put("compressors", new JsonArray().add("deflate").add("lz4")));
    assertTrue(hasHeader(both.encodeToBytes(value), DeflateCompressor.ID), "the first compressor writes");
  }

  @Test
  void compressMinLengthIsConfigurable() throws DecodeException {
    ValueCodec eager = ValueCodec.fromConfig(new JsonObject().put("compressMinLength", 0));
    String s = compressible(40);
    byte[] stored = eager.encodeToBytes(s);
    assertTrue(hasHeader(stored, Lz4Compressor.ID), "40 compressible bytes shrink even with the header");
    assertEquals(s, eager.decode(stored));
    assertEquals("\"ab\"", ascii(eager.encodeToBytes("ab")), "tiny payloads do not shrink: raw");
  }

  @Test
  void payloadLargerThanTheReadCapIsStoredRawSoItStaysReadable() throws DecodeException {
    ValueCodec small = ValueCodec.fromConfig(new JsonObject().put("maxDecompressedBytes", 1000));
    String s = compressible(5000);
    byte[] stored = small.encodeToBytes(s);
    assertEquals('"', stored[0]);
    assertEquals(s, small.decode(stored));
  }

  @Test
  void compressedPayloadOfEachSerializer() throws DecodeException {
    for (String serializer : new String[] {"json", "cbor", "smile"}) {
      ValueCodec c = RoundTripTest.codec(serializer);
      JsonObject value = new JsonObject().put("text", compressible(2000)).put("n", 1.5);
      byte[] stored = c.encodeToBytes(value);
      assertTrue(hasHeader(stored, Lz4Compressor.ID), serializer);
      assertEquals(value, c.decode(stored), serializer);
    }
  }

  @Test
  void decodesBuffersInPlaceAndDirectBuffers() throws DecodeException {
    ValueCodec c = ValueCodec.defaults();
    JsonObject value = new JsonObject().put("text", compressible(2000));
    byte[] stored = c.encodeToBytes(value);

    Buffer sliced = Buffer.buffer().appendString("junk").appendBytes(stored).appendString("tail")
        .slice(4, 4 + stored.length);
    assertEquals(value, c.decode(sliced));
    Buffer direct = BufferInternal.buffer(Unpooled.directBuffer().writeBytes(stored));
    assertEquals(value, c.decode(direct));
    assertEquals(42L, c.decode(Buffer.buffer("x42").slice(1, 3)));
    assertEquals("42", c.decode(Buffer.buffer("\"42\"")));
  }

  @Test
  void encodeWrapsTheEncodedArrayAndTheBufferStaysAppendable() {
    ValueCodec c = ValueCodec.defaults();
    byte[] a = c.encode("x").getBytes();
    byte[] b = c.encode("x").getBytes();
    assertArrayEquals(a, b);
    assertNotEquals(0, a.length);
    assertEquals("\"x\"", new String(a, StandardCharsets.UTF_8));
    Buffer wrapped = c.encode("x");
    wrapped.appendString("y"); // the wrapped array has no spare room: Vert.x must expand, not fail
    assertEquals("\"x\"y", wrapped.toString());
  }
}
