package io.cachex.service.codec;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * zlib-wrapped DEFLATE (id 2) via java.util.zip: slower than LZ4 but smaller, and the zlib trailer's Adler-32
 * detects corruption. Mainly here so that a chain with more than one compressor, and reading by header id, are
 * real. A fresh Deflater/Inflater per call (each holds native memory, released in {@code finally}).
 */
final class DeflateCompressor implements Compressor {

  static final int ID = 2;
  static final DeflateCompressor INSTANCE = new DeflateCompressor();

  private DeflateCompressor() {
  }

  @Override
  public String name() {
    return "deflate";
  }

  @Override
  public int id() {
    return ID;
  }

  @Override
  public int maxCompressedLength(int length) {
    // zlib's compressBound() (which includes the 6-byte wrapper), plus a margin.
    long bound = (long) length + (length >>> 12) + (length >>> 14) + (length >>> 25) + 13 + 64;
    return (int) Math.min(Integer.MAX_VALUE - 16, bound);
  }

  @Override
  public int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try {
      deflater.setInput(src, srcOff, srcLen);
      deflater.finish();
      int n = 0;
      int room = dst.length - dstOff;
      while (!deflater.finished()) {
        int k = deflater.deflate(dst, dstOff + n, room - n);
        if (k == 0 && n == room) {
          throw new IllegalStateException("deflate: output exceeded maxCompressedLength(" + srcLen + ")");
        }
        n += k;
      }
      return n;
    } finally {
      deflater.end();
    }
  }

  @Override
  public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int originalLength)
      throws DecodeException, DataFormatException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(src, srcOff, srcLen);
      int n = 0;
      while (n < originalLength) {
        int k = inflater.inflate(dst, dstOff + n, originalLength - n);
        if (k == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += k;
      }
      if (n < originalLength) {
        throw new DecodeException("deflate: decompressed " + n + " bytes, the header says " + originalLength);
      }
      if (!inflater.finished()) {
        // The output is full; the stream must end here (this also checks the Adler-32 trailer).
        if (inflater.inflate(new byte[1]) != 0 || !inflater.finished()) {
          throw new DecodeException("deflate: data continues past the " + originalLength + " bytes the header says");
        }
      }
      if (inflater.getRemaining() != 0) {
        throw new DecodeException("deflate: " + inflater.getRemaining() + " trailing bytes after the stream");
      }
    } finally {
      inflater.end();
    }
  }

  @Override
  public long maxDecompressedLength(int compressedLength) {
    return 1032L * compressedLength + 64; // DEFLATE's maximum ratio is about 1032:1
  }
}
