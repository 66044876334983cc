package io.cachex.service.codec;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 block compression (id 1) through lz4-java's fastest available implementation (JNI, else Java). The block
 * format has no length of its own; the cachex header carries it. Decompression uses the bounds-checked
 * {@code safeDecompressor}, never the deprecated "fast" one that trusts its input.
 */
final class Lz4Compressor implements Compressor {

  private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();

  static final int ID = 1;
  static final Lz4Compressor INSTANCE = new Lz4Compressor();

  private final LZ4Compressor compressor = FACTORY.fastCompressor();
  private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();

  private Lz4Compressor() {
  }

  /** Which implementation lz4-java picked (JNI or Java), for {@link ValueCodec#describe()}. */
  static String implementation() {
    return FACTORY.toString();
  }

  @Override
  public String name() {
    return "lz4";
  }

  @Override
  public int id() {
    return ID;
  }

  @Override
  public int maxCompressedLength(int length) {
    return compressor.maxCompressedLength(length);
  }

  @Override
  public int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff) {
    return compressor.compress(src, srcOff, srcLen, dst, dstOff, dst.length - dstOff);
  }

  @Override
  public void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int originalLength)
      throws DecodeException {
    int n = decompressor.decompress(src, srcOff, srcLen, dst, dstOff, originalLength);
    if (n != originalLength) {
      throw new DecodeException("lz4: decompressed " + n + " bytes, the header says " + originalLength);
    }
  }

  @Override
  public long maxDecompressedLength(int compressedLength) {
    // Each LZ4 sequence turns 1 token + 2 offset bytes + k length bytes into at most ~255 bytes per input byte.
    return 255L * compressedLength + 64;
  }
}
