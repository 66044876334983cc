package io.cachex.service.codec;

import java.util.Arrays;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Reads (never writes) LZ4 frames (magic {@code 04 22 4D 18}), as python-lz4's {@code lz4.frame.compress} and the
 * {@code lz4} CLI write them: what django-cachex stores with its LZ4 compressor.
 * <p>
 * Own parser instead of lz4-java's {@code LZ4FrameInputStream}, because that class refuses block-linked frames
 * ("Dependent block stream is unsupported") and block-linked is python-lz4's default ({@code block_linked=True}):
 * it could not read django-cachex's values. Supported: frame version 01, independent and linked blocks, all block
 * sizes, uncompressed blocks, optional content size, block and content checksums (verified), skippable frames
 * and concatenated frames. Not supported: preset dictionaries (the frame names a dictionary id), the legacy
 * frame format.
 * <p>
 * Bomb guard: the output never grows past {@code maxBytes}; a declared content size above it fails before any
 * allocation, and otherwise decoding stops as soon as the output would exceed it.
 */
final class Lz4FrameReader {

  static final int FRAME_MAGIC = 0x184D2204;
  private static final int SKIPPABLE_MAGIC_MASK = 0xFFFFFFF0;
  private static final int SKIPPABLE_MAGIC = 0x184D2A50;

  private static final XXHash32 XXH32 = XXHashFactory.fastestInstance().hash32();

  /** Decoded bytes: {@code bytes[0, length)}. */
  record Result(byte[] bytes, int length) {
  }

  static boolean hasMagic(byte[] b, int off, int len) {
    return len >= 4 && b[off] == 0x04 && b[off + 1] == 0x22 && b[off + 2] == 0x4D && b[off + 3] == 0x18;
  }

  private final byte[] src;
  private final int end;
  private final int maxBytes;
  private byte[] out;
  private int outLen;

  private Lz4FrameReader(byte[] src, int end, int maxBytes) {
    this.src = src;
    this.end = end;
    this.maxBytes = maxBytes;
  }

  static Result read(byte[] src, int off, int len, int maxBytes) throws DecodeException {
    Lz4FrameReader r = new Lz4FrameReader(src, off + len, maxBytes);
    try {
      r.readFrames(off);
    } catch (RuntimeException e) { // a parser bug must not escape as anything but a decode failure
      throw new DecodeException("lz4 frame: corrupt data (" + e + ")", e);
    }
    return new Result(r.out, r.outLen);
  }

  private void readFrames(int p) throws DecodeException {
    boolean sawFrame = false;
    while (p < end) {
      if (sawFrame && end - p < 4) {
        throw corrupt((end - p) + " trailing bytes after the last frame");
      }
      need(p, 4, "frame magic");
      int magic = intLE(p);
      if ((magic & SKIPPABLE_MAGIC_MASK) == SKIPPABLE_MAGIC) {
        need(p, 8, "skippable frame header");
        long size = intLE(p + 4) & 0xFFFFFFFFL;
        if (size > end - p - 8) {
          throw corrupt("skippable frame of " + size + " bytes is truncated");
        }
        p += 8 + (int) size;
        continue;
      }
      if (magic != FRAME_MAGIC) {
        throw corrupt(sawFrame
            ? (end - p) + " trailing bytes after the last frame"
            : "not an LZ4 frame (magic " + Integer.toHexString(magic) + ")");
      }
      p = readFrame(p + 4);
      sawFrame = true;
    }
    if (!sawFrame) {
      throw corrupt("no LZ4 frame, only skippable frames");
    }
  }

  /** Reads one frame whose descriptor starts at {@code p}; returns the position after it. */
  private int readFrame(int p) throws DecodeException {
    need(p, 3, "frame descriptor");
    int descriptorStart = p;
    int flg = src[p++] & 0xFF;
    int bd = src[p++] & 0xFF;
    if ((flg >>> 6) != 1) {
      throw corrupt("unsupported frame version " + (flg >>> 6));
    }
    if ((flg & 0x02) != 0 || (bd & 0x8F) != 0) {
      throw corrupt("reserved bits set in the frame descriptor");
    }
    boolean independent = (flg & 0x20) != 0;
    boolean blockChecksum = (flg & 0x10) != 0;
    boolean hasContentSize = (flg & 0x08) != 0;
    boolean contentChecksum = (flg & 0x04) != 0;
    boolean hasDictionary = (flg & 0x01) != 0;
    int blockSizeId = bd >>> 4;
    if (blockSizeId < 4) {
      throw corrupt("invalid block maximum size id " + blockSizeId);
    }
    int blockMax = 1 << (8 + 2 * blockSizeId); // 4: 64 KiB, 5: 256 KiB, 6: 1 MiB, 7: 4 MiB
    long contentSize = -1;
    if (hasContentSize) {
      need(p, 8, "content size");
      contentSize = longLE(p);
      p += 8;
    }
    if (hasDictionary) {
      throw corrupt("frames compressed with a preset dictionary are not supported");
    }
    need(p, 1, "header checksum");
    int headerChecksum = (XXH32.hash(src, descriptorStart, p - descriptorStart, 0) >>> 8) & 0xFF;
    if ((src[p] & 0xFF) != headerChecksum) {
      throw corrupt("frame descriptor checksum mismatch");
    }
    p++;

    int frameStart = outLen;
    long expected;
    if (hasContentSize) {
      if (contentSize < 0 || contentSize > (long) maxBytes - outLen) {
        throw new DecodeException("lz4 frame: declared content size " + Long.toUnsignedString(contentSize)
            + " exceeds maxDecompressedBytes " + maxBytes);
      }
      // Trust the declared size for the allocation only as far as LZ4's ratio (~255:1) makes it plausible.
      expected = Math.min(contentSize, 255L * (end - p) + 64);
    } else {
      expected = Math.min(4L * (end - p), (long) maxBytes - outLen);
    }
    grow((int) (outLen + expected));

    while (true) {
      need(p, 4, "block size");
      int word = intLE(p);
      p += 4;
      if (word == 0) {
        break; // end mark
      }
      boolean stored = (word & 0x80000000) != 0;
      int size = word & 0x7FFFFFFF;
      if (size > blockMax) {
        throw corrupt("block of " + size + " bytes exceeds the frame's maximum block size " + blockMax);
      }
      need(p, size + (blockChecksum ? 4 : 0), "block");
      if (blockChecksum && XXH32.hash(src, p, size, 0) != intLE(p + size)) {
        throw corrupt("block checksum mismatch");
      }
      if (stored) {
        ensure(size);
        System.arraycopy(src, p, out, outLen, size);
        outLen += size;
      } else {
        int blockStart = outLen;
        decodeBlock(p, p + size, independent ? blockStart : frameStart, (long) blockStart + blockMax);
      }
      p += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) {
      need(p, 4, "content checksum");
      if (XXH32.hash(out, frameStart, outLen - frameStart, 0) != intLE(p)) {
        throw corrupt("content checksum mismatch");
      }
      p += 4;
    }
    if (hasContentSize && outLen - frameStart != contentSize) {
      throw corrupt("frame declares " + contentSize + " bytes but holds " + (outLen - frameStart));
    }
    return p;
  }

  /**
   * Decodes one LZ4 block {@code src[sp, sEnd)} onto the end of the output. Matches may reach back to
   * {@code windowStart}: the block's own start for independent blocks, the frame's start for linked ones.
   */
  private void decodeBlock(int sp, int sEnd, int windowStart, long blockLimit) throws DecodeException {
    while (true) {
      if (sp >= sEnd) {
        throw corrupt("block ends inside a sequence");
      }
      int token = src[sp++] & 0xFF;
      int literals = token >>> 4;
      if (literals == 15) {
        int b;
        do {
          if (sp >= sEnd) {
            throw corrupt("block ends inside a literal length");
          }
          b = src[sp++] & 0xFF;
          literals += b; // blocks are <= 4 MiB, so this cannot overflow
        } while (b == 255);
      }
      if (literals > sEnd - sp) {
        throw corrupt("literal run past the end of the block");
      }
      ensureInBlock(literals, blockLimit);
      System.arraycopy(src, sp, out, outLen, literals);
      sp += literals;
      outLen += literals;
      if (sp == sEnd) {
        return; // the last sequence has literals only
      }
      if (sEnd - sp < 2) {
        throw corrupt("block ends inside a match offset");
      }
      int offset = (src[sp] & 0xFF) | ((src[sp + 1] & 0xFF) << 8);
      sp += 2;
      if (offset == 0 || offset > outLen - windowStart) {
        throw corrupt("match offset " + offset + " points outside the window");
      }
      int matchLength = token & 0x0F;
      if (matchLength == 15) {
        int b;
        do {
          if (sp >= sEnd) {
            throw corrupt("block ends inside a match length");
          }
          b = src[sp++] & 0xFF;
          matchLength += b;
        } while (b == 255);
      }
      matchLength += 4;
      ensureInBlock(matchLength, blockLimit);
      int from = outLen - offset;
      if (offset >= matchLength) {
        System.arraycopy(out, from, out, outLen, matchLength);
        outLen += matchLength;
      } else {
        // Overlapping match (a repeated pattern): copy in chunks that double, each from already-written bytes.
        int remaining = matchLength;
        while (remaining > 0) {
          int n = Math.min(outLen - from, remaining);
          System.arraycopy(out, from, out, outLen, n);
          outLen += n;
          remaining -= n;
        }
      }
    }
  }

  private void ensureInBlock(int n, long blockLimit) throws DecodeException {
    if ((long) outLen + n > blockLimit && (long) outLen + n <= maxBytes) {
      throw corrupt("block decompresses past the frame's maximum block size");
    }
    ensure(n);
  }

  /** Room for {@code n} more output bytes, within the cap. */
  private void ensure(int n) throws DecodeException {
    long needed = (long) outLen + n;
    if (needed > maxBytes) {
      throw new DecodeException("lz4 frame: decompressed size exceeds maxDecompressedBytes " + maxBytes);
    }
    if (needed > out.length) {
      grow((int) needed);
    }
  }

  /** Makes the output at least {@code capacity} bytes (at most doubling past it, never past the cap). */
  private void grow(int capacity) {
    if (out == null) {
      out = new byte[capacity];
    } else if (capacity > out.length) {
      int grown = (int) Math.min(maxBytes, Math.max((long) capacity, 2L * out.length));
      out = Arrays.copyOf(out, grown);
    }
  }

  private void need(int p, int n, String what) throws DecodeException {
    if (n < 0 || n > end - p) {
      throw corrupt("truncated " + what);
    }
  }

  private int intLE(int p) {
    return (src[p] & 0xFF) | (src[p + 1] & 0xFF) << 8 | (src[p + 2] & 0xFF) << 16 | (src[p + 3] & 0xFF) << 24;
  }

  private long longLE(int p) {
    return (intLE(p) & 0xFFFFFFFFL) | ((long) intLE(p + 4) << 32);
  }

  private static DecodeException corrupt(String why) {
    return new DecodeException("lz4 frame: corrupt data: " + why);
  }
}
