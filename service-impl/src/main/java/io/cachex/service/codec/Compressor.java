package io.cachex.service.codec;

/**
 * One algorithm of the compressor chain. Compressed values are stored behind the cachex header
 * ({@link ValueCodec#HEADER_LENGTH} bytes: magic, version, {@link #id()}, uncompressed length); the compressor
 * only sees the body. Implementations are stateless and thread-safe.
 */
public interface Compressor {

  /** The name used in configuration ({@code "lz4"}, {@code "deflate"}). */
  String name();

  /** The codec id written in the header: 1..255, unique, and never reused for another format. */
  int id();

  /** An upper bound of {@link #compress}'s output for {@code length} input bytes. */
  int maxCompressedLength(int length);

  /**
   * Compresses {@code src[srcOff, srcOff+srcLen)} into {@code dst} from {@code dstOff}; {@code dst} has at least
   * {@link #maxCompressedLength(int) maxCompressedLength(srcLen)} bytes from there. Returns the bytes written.
   */
  int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff);

  /**
   * Decompresses {@code src[srcOff, srcOff+srcLen)} into exactly {@code originalLength} bytes of {@code dst}
   * from {@code dstOff}. Throws when the input is corrupt or does not produce exactly that many bytes.
   */
  void decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int originalLength) throws Exception;

  /**
   * The most bytes {@code compressedLength} bytes of this format can expand to (the format's maximum ratio). A
   * header that claims more is rejected before any allocation.
   */
  long maxDecompressedLength(int compressedLength);
}
