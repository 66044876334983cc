package io.cachex.service.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/** The frame reader on frames written by lz4-java and on hand-made ones (linked blocks, edge cases). */
class Lz4FrameReaderTest {

  static final int CAP = 64 << 20;

  static byte[] frame(byte[] data, BLOCKSIZE size, FLG.Bits... bits) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean withSize = Arrays.asList(bits).contains(FLG.Bits.CONTENT_SIZE);
    try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, size, withSize ? data.length : -1, bits)) {
      lz4.write(data);
    }
    return out.toByteArray();
  }

  static byte[] read(byte[] frame, int cap) throws DecodeException {
    Lz4FrameReader.Result r = Lz4FrameReader.read(frame, 0, frame.length, cap);
    return Arrays.copyOf(r.bytes(), r.length());
  }

  static byte[] compressibleData(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < n; i++) {
      sb.append("{\"id\":").append(i).append(",\"name\":\"item ").append(i % 97).append("\"},");
    }
    return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] randomData(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  @Test
  void readsWhatLz4JavaWritesInEveryBlockSizeAndFlagCombination() throws Exception {
    FLG.Bits[][] combos = {
        {FLG.Bits.BLOCK_INDEPENDENCE},
        {FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_SIZE},
        {FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_CHECKSUM},
        {FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.BLOCK_CHECKSUM, FLG.Bits.CONTENT_CHECKSUM, FLG.Bits.CONTENT_SIZE}};
    byte[][] inputs = {new byte[0], "x".getBytes(StandardCharsets.US_ASCII), compressibleData(300_000),
        randomData(150_000, 3) /* stored (uncompressed) blocks */};
    for (BLOCKSIZE size : BLOCKSIZE.values()) {
      for (FLG.Bits[] bits : combos) {
        for (byte[] data : inputs) {
          String what = size + " " + Arrays.toString(bits) + " " + data.length + " bytes";
          assertArrayEquals(data, read(frame(data, size, bits), CAP), what);
        }
      }
    }
  }

  @Test
  void concatenatedAndSkippableFrames() throws Exception {
    byte[] a = compressibleData(70_000);
    byte[] b = "tail".getBytes(StandardCharsets.US_ASCII);
    byte[] skippable = {0x5A, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9};
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(skippable);
    all.write(frame(a, BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE));
    all.write(skippable);
    all.write(frame(b, BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_SIZE));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(a);
    expected.write(b);
    assertArrayEquals(expected.toByteArray(), read(all.toByteArray(), CAP));
    DecodeException e = assertThrows(DecodeException.class, () -> read(skippable, CAP));
    assertTrue(e.getMessage().contains("only skippable frames"), e.getMessage());
  }

  // ------------------------------------------------------------------------------- hand-made frames

  /** Frame header (magic, FLG, BD, [content size], HC) followed by the given blocks and an end mark. */
  static byte[] handMade(int flg, int bd, long contentSize, byte[]... blocks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x04, 0x22, 0x4D, 0x18});
    ByteArrayOutputStream descriptor = new ByteArrayOutputStream();
    descriptor.write(flg);
    descriptor.write(bd);
    if ((flg & 0x08) != 0) {
      for (int i = 0; i < 8; i++) {
        descriptor.write((int) (contentSize >>> (8 * i)));
      }
    }
    byte[] d = descriptor.toByteArray();
    out.writeBytes(d);
    out.write((XXHashFactory.fastestInstance().hash32().hash(d, 0, d.length, 0) >>> 8) & 0xFF);
    for (byte[] block : blocks) {
      writeIntLE(out, block.length);
      out.writeBytes(block);
    }
    writeIntLE(out, 0);
    return out.toByteArray();
  }

  static void writeIntLE(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }

  static final byte[] BLOCK_1 = {(byte) 0x80, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}; // 8 literals
  // 1 literal 'X', then a match of 8 bytes at offset 9 (back into block 1), then 5 final literals
  static final byte[] BLOCK_2 = {0x14, 'X', 9, 0, 0x50, '1', '2', '3', '4', '5'};

  @Test
  void linkedBlocksMayReferToThePreviousBlock() throws DecodeException {
    byte[] linked = handMade(0x40, 0x40, 0, BLOCK_1, BLOCK_2); // version 01, B.Indep = 0, 64 KB blocks
    assertEquals("abcdefghXabcdefgh12345", new String(read(linked, CAP), StandardCharsets.US_ASCII));

    byte[] independent = handMade(0x60, 0x40, 0, BLOCK_1, BLOCK_2); // the same blocks flagged independent
    DecodeException e = assertThrows(DecodeException.class, () -> read(independent, CAP));
    assertTrue(e.getMessage().contains("match offset 9 points outside the window"), e.getMessage());
  }

  @Test
  void overlappingMatchesRepeatAPattern() throws DecodeException {
    // "ab" then a match of 4 + 15 + 3 = 22 bytes at offset 2, then 5 literals
    byte[] block = {0x2F, 'a', 'b', 2, 0, 3, 0x50, 'v', 'w', 'x', 'y', 'z'};
    assertEquals("ab".repeat(12) + "vwxyz", new String(read(handMade(0x60, 0x40, 0, block), CAP),
        StandardCharsets.US_ASCII));
  }

  @Test
  void malformedFramesAreDecodeExceptions() {
    String[][] cases = {
        {"dictionary", hex(handMade(0x61, 0x40, 0, BLOCK_1)), "preset dictionary"},
        {"version 00", hex(handMade(0x20, 0x40, 0, BLOCK_1)), "unsupported frame version 0"},
        {"reserved bit", hex(handMade(0x62, 0x40, 0, BLOCK_1)), "reserved bits"},
        {"block size id 3", hex(handMade(0x60, 0x30, 0, BLOCK_1)), "invalid block maximum size id 3"},
        {"content size lies", hex(handMade(0x68, 0x40, 9, BLOCK_1)), "declares 9 bytes but holds 8"},
        {"offset 0", hex(handMade(0x60, 0x40, 0, new byte[] {0x10, 'a', 0, 0, 0x50, '1', '2', '3', '4', '5'})),
            "match offset 0"},
        {"literal run past end", hex(handMade(0x60, 0x40, 0, new byte[] {(byte) 0xF0, 10, 'a'})), "literal run"},
        {"cut inside offset", hex(handMade(0x60, 0x40, 0, new byte[] {0x10, 'a', 1})), "inside a match offset"},
        {"ends after a match", hex(handMade(0x60, 0x40, 0, new byte[] {0x10, 'a', 1, 0})), "ends inside a sequence"},
        {"zero-literal token only", hex(handMade(0x60, 0x40, 0, new byte[] {0x00, 0x01})), "inside a match offset"},
    };
    for (String[] c : cases) {
      byte[] frame = unhex(c[1]);
      DecodeException e = assertThrows(DecodeException.class, () -> read(frame, CAP), c[0]);
      assertTrue(e.getMessage().startsWith("lz4 frame: corrupt data: ") && e.getMessage().contains(c[2]),
          c[0] + ": " + e.getMessage());
    }

    byte[] good = handMade(0x60, 0x40, 0, BLOCK_1);
    byte[] badChecksum = good.clone();
    badChecksum[6] ^= 1; // the header checksum byte
    assertThrows(DecodeException.class, () -> read(badChecksum, CAP));
    for (int cut = 1; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThrows(DecodeException.class, () -> read(truncated, CAP), "cut at " + cut);
    }
    byte[] trailing = Arrays.copyOf(good, good.length + 3);
    DecodeException e = assertThrows(DecodeException.class, () -> read(trailing, CAP));
    assertTrue(e.getMessage().contains("3 trailing bytes"), e.getMessage());

    byte[] oversized = handMade(0x60, 0x40, 0, new byte[65_537]);
    assertTrue(assertThrows(DecodeException.class, () -> read(oversized, CAP)).getMessage()
        .contains("exceeds the frame's maximum block size 65536"));
  }

  @Test
  void theCapStopsDecodingAndADeclaredSizeAboveItFailsFirst() throws Exception {
    byte[] zeros = new byte[8 << 20];
    byte[] streamed = frame(zeros, BLOCKSIZE.SIZE_4MB, FLG.Bits.BLOCK_INDEPENDENCE);
    DecodeException e = assertThrows(DecodeException.class, () -> read(streamed, 1 << 20));
    assertEquals("lz4 frame: decompressed size exceeds maxDecompressedBytes 1048576", e.getMessage());

    byte[] declared = frame(zeros, BLOCKSIZE.SIZE_4MB, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_SIZE);
    DecodeException d = assertThrows(DecodeException.class, () -> read(declared, 1 << 20));
    assertEquals("lz4 frame: declared content size 8388608 exceeds maxDecompressedBytes 1048576", d.getMessage());

    assertEquals(8 << 20, read(streamed, 8 << 20).length, "exactly at the cap is fine");
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }

  static byte[] unhex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
