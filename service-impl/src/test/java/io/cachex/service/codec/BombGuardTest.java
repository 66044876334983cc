package io.cachex.service.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Compressed values that claim or produce more than maxDecompressedBytes fail before the memory is spent. */
class BombGuardTest {

  /** Bytes allocated by this thread while running {@code action} (HotSpot's per-thread counter). */
  static long allocatedBy(Runnable action) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    action.run();
    return threads.getThreadAllocatedBytes(id) - before;
  }

  static byte[] header(int codecId, long claimedLength, int bodyLength) {
    byte[] b = new byte[ValueCodec.HEADER_LENGTH + bodyLength];
    b[0] = (byte) 0xBE;
    b[1] = (byte) 0xCA;
    b[2] = 1;
    b[3] = (byte) codecId;
    b[4] = (byte) (claimedLength >>> 24);
    b[5] = (byte) (claimedLength >>> 16);
    b[6] = (byte) (claimedLength >>> 8);
    b[7] = (byte) claimedLength;
    for (int i = ValueCodec.HEADER_LENGTH; i < b.length; i++) {
      b[i] = 0x1F; // a harmless-looking LZ4 token
    }
    return b;
  }

  @Test
  void headerClaimingOneGibIsRefusedWithoutAllocatingIt() {
    ValueCodec c = ValueCodec.defaults();
    byte[] bomb = header(Lz4Compressor.ID, 1L << 30, 16);
    DecodeException[] thrown = new DecodeException[1];
    long allocated = allocatedBy(() -> thrown[0] = assertThrows(DecodeException.class, () -> c.decode(bomb)));
    assertEquals("lz4: decompressed size 1073741824 exceeds maxDecompressedBytes 8388608", thrown[0].getMessage());
    assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes");
  }

  @Test
  void headerClaimingTheMaximumUnsignedLengthIsRefused() {
    DecodeException e = assertThrows(DecodeException.class,
        () -> ValueCodec.defaults().decode(header(DeflateCompressor.ID, 0xFFFFFFFFL, 16)));
    assertEquals("deflate: decompressed size 4294967295 exceeds maxDecompressedBytes 8388608", e.getMessage());
  }

  @Test
  void headerClaimingMoreThanTheBodyCanHoldIsRefusedWithoutAllocating() {
    // 6 MB is under the 8 MiB cap, but 10 LZ4 bytes expand to at most ~2.5 KB.
    ValueCodec c = ValueCodec.defaults();
    byte[] liar = header(Lz4Compressor.ID, 6_000_000, 10);
    DecodeException[] thrown = new DecodeException[1];
    long allocated = allocatedBy(() -> thrown[0] = assertThrows(DecodeException.class, () -> c.decode(liar)));
    assertTrue(thrown[0].getMessage().startsWith("lz4: corrupt data: the header claims 6000000 bytes"),
        thrown[0].getMessage());
    assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes");
  }

  @Test
  void aGenuineValueAboveTheReadersCapIsRefused() throws DecodeException {
    String s = CompressionTest.compressible(2_000_000);
    byte[] stored = ValueCodec.defaults().encodeToBytes(s);
    assertTrue(CompressionTest.hasHeader(stored, Lz4Compressor.ID));
    ValueCodec strict = ValueCodec.fromConfig(new JsonObject().put("maxDecompressedBytes", 1 << 20));
    DecodeException e = assertThrows(DecodeException.class, () -> strict.decode(stored));
    assertEquals("lz4: decompressed size 2000000 exceeds maxDecompressedBytes 1048576", e.getMessage());
    assertEquals(s, ValueCodec.defaults().decode(stored));
  }
}
