package io.cachex.service.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import org.junit.jupiter.api.Test;

/** Corrupt stored bytes are DecodeExceptions: never a RuntimeException, never an Error. */
class CorruptionTest {

  static JsonArray document() {
    JsonArray a = new JsonArray();
    for (int i = 0; i < 60; i++) {
      a.add(new JsonObject().put("id", i).put("name", "name " + (i % 9)).put("tags", new JsonArray().add("x").add(i * 0.5)));
    }
    return a;
  }

  static ValueCodec with(String serializer, String compressor) {
    return ValueCodec.fromConfig(new JsonObject().put("serializers", new JsonArray().add(serializer))
        .put("compressors", new JsonArray().add(compressor)));
  }

  static Object decodeOrDecodeException(ValueCodec reader, byte[] stored, String what) {
    try {
      return reader.decode(stored);
    } catch (DecodeException expected) {
      return expected;
    } catch (Throwable t) {
      throw new AssertionError(what + ": leaked " + t, t);
    }
  }

  @Test
  void structurallyBrokenLz4BodyNamesTheStage() {
    ValueCodec c = ValueCodec.defaults();
    byte[] stored = c.encodeToBytes(document());
    assertTrue(CompressionTest.hasHeader(stored, Lz4Compressor.ID));

    byte[] truncated = Arrays.copyOf(stored, stored.length - 7);
    DecodeException e = assertThrows(DecodeException.class, () -> c.decode(truncated));
    assertTrue(e.getMessage().startsWith("lz4: "), e.getMessage());

    byte[] garbage = stored.clone();
    Arrays.fill(garbage, ValueCodec.HEADER_LENGTH, garbage.length, (byte) 0xFF);
    e = assertThrows(DecodeException.class, () -> c.decode(garbage));
    assertTrue(e.getMessage().startsWith("lz4: corrupt data"), e.getMessage());
  }

  @Test
  void brokenDeflateBodyIsCaughtByTheAdlerChecksum() {
    ValueCodec c = with("json", "deflate");
    byte[] stored = c.encodeToBytes(document());
    assertTrue(CompressionTest.hasHeader(stored, DeflateCompressor.ID));
    byte[] flipped = stored.clone();
    flipped[flipped.length - 2] ^= 0x55; // inside the Adler-32 trailer
    DecodeException e = assertThrows(DecodeException.class, () -> c.decode(flipped));
    assertTrue(e.getMessage().startsWith("deflate: "), e.getMessage());
  }

  @Test
  void headerProblems() {
    ValueCodec c = ValueCodec.defaults();
    byte[] good = c.encodeToBytes(document());
    DecodeException e = assertThrows(DecodeException.class, () -> c.decode(Arrays.copyOf(good, 5)));
    assertTrue(e.getMessage().startsWith("cachex header: truncated"), e.getMessage());

    byte[] version = good.clone();
    version[2] = 2;
    e = assertThrows(DecodeException.class, () -> c.decode(version));
    assertTrue(e.getMessage().contains("unsupported format version 2"), e.getMessage());

    byte[] unknown = good.clone();
    unknown[3] = 9;
    e = assertThrows(DecodeException.class, () -> c.decode(unknown));
    assertTrue(e.getMessage().contains("unknown codec id 9; known: [lz4=1, deflate=2]"), e.getMessage());

    byte[] wrongLength = good.clone();
    wrongLength[7] ^= 1;
    assertThrows(DecodeException.class, () -> c.decode(wrongLength), "length off by one");
  }

  @Test
  void randomMutationsOfEveryStoredFormatOnlyEverThrowDecodeException() throws Exception {
    Map<String, byte[]> sources = new LinkedHashMap<>();
    JsonArray doc = document();
    sources.put("json+lz4", ValueCodec.defaults().encodeToBytes(doc));
    sources.put("json+deflate", with("json", "deflate").encodeToBytes(doc));
    sources.put("cbor+lz4", with("cbor", "lz4").encodeToBytes(doc));
    sources.put("smile+lz4", with("smile", "lz4").encodeToBytes(doc));
    sources.put("json raw", ValueCodec.defaults().encodeToBytes(new JsonObject().put("a", new JsonArray().add(1.5))));
    sources.put("cbor raw", with("cbor", "lz4").encodeToBytes(new JsonObject().put("a", "b")));
    byte[] json = doc.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    sources.put("lz4 frame", Lz4FrameReaderTest.frame(json, BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE));
    sources.put("lz4 frame checked", Lz4FrameReaderTest.frame(json, BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE,
        FLG.Bits.CONTENT_SIZE, FLG.Bits.BLOCK_CHECKSUM, FLG.Bits.CONTENT_CHECKSUM));
    sources.put("hand-made linked frame", Lz4FrameReaderTest.handMade(0x40, 0x40, 0,
        Lz4FrameReaderTest.BLOCK_1, Lz4FrameReaderTest.BLOCK_2));

    ValueCodec reader = ValueCodec.fromConfig(new JsonObject()
        .put("serializers", new JsonArray().add("json").add("cbor").add("smile")).put("maxDecompressedBytes", 8 << 20));
    SplittableRandom random = new SplittableRandom(20261128);
    int decodeExceptions = 0;
    for (Map.Entry<String, byte[]> source : sources.entrySet()) {
      byte[] original = source.getValue();
      for (int i = 0; i < 1500; i++) {
        byte[] b;
        int kind = random.nextInt(4);
        if (kind == 0) {
          b = Arrays.copyOf(original, random.nextInt(original.length));
        } else if (kind == 1) {
          b = Arrays.copyOf(original, original.length + 1 + random.nextInt(8));
          for (int j = original.length; j < b.length; j++) {
            b[j] = (byte) random.nextInt(256);
          }
        } else {
          b = original.clone();
          int flips = 1 + random.nextInt(kind == 2 ? 2 : 6);
          for (int j = 0; j < flips; j++) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
          }
        }
        if (decodeOrDecodeException(reader, b, source.getKey() + " mutation " + i) instanceof DecodeException) {
          decodeExceptions++;
        }
      }
    }
    if (decodeExceptions < 1000) {
      fail("expected most mutations to be detected, only " + decodeExceptions + " were");
    }
  }
}
