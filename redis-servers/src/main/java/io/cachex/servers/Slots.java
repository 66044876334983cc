package io.cachex.servers;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster key slots: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384.
 * Same algorithm as {@code CLUSTER KEYSLOT}.
 */
public final class Slots {

  /** Number of hash slots in a Redis/Valkey cluster. */
  public static final int COUNT = 16384;

  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      TABLE[i] = crc & 0xFFFF;
    }
  }

  private Slots() {
  }

  /** The slot of a key given as a Java string (hashed as UTF-8, like every Redis client does). */
  public static int slot(String key) {
    return slot(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The slot of a raw key. When the key holds a non-empty hash tag (the bytes between the first
   * '{' and the next '}' after it) only the tag is hashed, so "{user1000}.following" and
   * "{user1000}.followers" share a slot.
   */
  public static int slot(byte[] key) {
    int start = 0;
    int end = key.length;
    int open = indexOf(key, (byte) '{', 0);
    if (open >= 0) {
      int close = indexOf(key, (byte) '}', open + 1);
      if (close > open + 1) {
        start = open + 1;
        end = close;
      }
    }
    return crc16(key, start, end) & (COUNT - 1);
  }

  /** CRC16/XMODEM (polynomial 0x1021, initial value 0) of {@code bytes[from, to)}. */
  public static int crc16(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
