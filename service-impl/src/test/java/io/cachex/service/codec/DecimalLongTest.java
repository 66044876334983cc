package io.cachex.service.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalLongTest {

  private static Long parse(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return DecimalLong.parseCanonical(b, 0, b.length);
  }

  @Test
  void writesExactlyLongToString() {
    long[] edges = {0, 1, -1, 9, 10, -10, 99, 100, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 1_000_000_000_000_000_000L};
    for (long v : edges) {
      assertArrayEquals(Long.toString(v).getBytes(StandardCharsets.US_ASCII), DecimalLong.toAscii(v), "" + v);
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      long v = random.nextLong() >> random.nextInt(64);
      assertArrayEquals(Long.toString(v).getBytes(StandardCharsets.US_ASCII), DecimalLong.toAscii(v), "" + v);
    }
  }

  @Test
  void readsEveryCanonicalLong() {
    assertEquals(0L, parse("0"));
    assertEquals(-1L, parse("-1"));
    assertEquals(Long.MAX_VALUE, parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, parse("-9223372036854775808"));
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      long v = random.nextLong() >> random.nextInt(64);
      assertEquals(v, parse(Long.toString(v)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "+1", "+0", "01", "007", "-01", "-0", "00", " 1", "1 ", "1a", "a1", "1.0", "1e3",
      "0x10", "9223372036854775808", "-9223372036854775809", "99999999999999999999", "-99999999999999999999",
      "123456789012345678901", "--1", "1-", "\u00661"})
  void refusesAnythingElse(String s) {
    assertNull(parse(s), s);
  }

  @Test
  void readsOnlyTheGivenRange() {
    byte[] b = "xx-42yy".getBytes(StandardCharsets.US_ASCII);
    assertEquals(-42L, DecimalLong.parseCanonical(b, 2, 3));
    assertNull(DecimalLong.parseCanonical(b, 2, 4));
  }
}
