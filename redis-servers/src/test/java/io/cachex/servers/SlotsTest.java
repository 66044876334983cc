package io.cachex.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlotsTest {

  @Test
  void knownSlots() {
    assertEquals(12182, Slots.slot("foo"));
    assertEquals(5061, Slots.slot("bar"));
    assertEquals(866, Slots.slot("hello"));
    // CRC16/XMODEM check value of "123456789" is 0x31C3
    assertEquals(0x31C3, Slots.crc16("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
    assertEquals(0x31C3 & 16383, Slots.slot("123456789"));
  }

  @Test
  void hashTags() {
    assertEquals(Slots.slot("{user1000}.following"), Slots.slot("{user1000}.followers"));
    assertEquals(Slots.slot("user1000"), Slots.slot("{user1000}.following"));
    assertEquals(Slots.slot("bar"), Slots.slot("foo{bar}zap"));
    assertEquals(Slots.slot("{bar"), Slots.slot("foo{{bar}}zap"), "tag is between the first { and the next }");
    assertEquals(Slots.slot("bar"), Slots.slot("foo{bar}{zap}"), "only the first tag counts");
    // an empty tag means "hash the whole key"
    assertNotEquals(Slots.slot(""), Slots.slot("foo{}{bar}"));
    assertEquals(Slots.crc16("foo{}{bar}".getBytes(StandardCharsets.UTF_8), 0, 10) & 16383, Slots.slot("foo{}{bar}"));
    // no closing brace: whole key
    assertEquals(Slots.crc16("foo{bar".getBytes(StandardCharsets.UTF_8), 0, 7) & 16383, Slots.slot("foo{bar"));
  }

  @Test
  void utf8Keys() {
    assertEquals(Slots.slot("ключ".getBytes(StandardCharsets.UTF_8)), Slots.slot("ключ"));
  }
}
