package io.cachex.service.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON serializer's plain-string shortcut writes exactly Jackson's bytes and reads them back. */
class PlainJsonStringTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void plainStringsAreWrittenByteForByteAsJacksonDoes() throws Exception {
    for (String s : List.of("", "a", "hello world", "~!@#$%^&*()_+`-={}|[]:;'<>?,./ 0123456789", "x".repeat(10_000))) {
      assertTrue(PlainJsonString.fits(s), s);
      byte[] ours = JacksonSerializer.JSON.serialize(s);
      assertArrayEquals(JACKSON.writeValueAsBytes(s), ours, s);
      assertTrue(PlainJsonString.is(ours, 0, ours.length));
      assertEquals(s, JacksonSerializer.JSON.deserialize(ours, 0, ours.length));
    }
  }

  @Test
  void anythingNeedingAnEscapeGoesThroughJackson() throws Exception {
    for (String s : List.of("quote\"inside", "back\\slash", "tab\there", "nul\u0000", "caf\u00e9", "\u20ac", "del\u007f", "emoji \ud83d\ude00")) {
      assertFalse(PlainJsonString.fits(s), s);
      byte[] written = JacksonSerializer.JSON.serialize(s);
      assertArrayEquals(JACKSON.writeValueAsBytes(s), written, s);
      assertFalse(PlainJsonString.is(written, 0, written.length), s);
      assertEquals(s, JacksonSerializer.JSON.deserialize(written, 0, written.length));
    }
  }

  @Test
  void onlyAWholeQuotedValueTakesTheShortcut() {
    for (String text : List.of("\"a\" ", " \"a\"", "\"a\"\"b\"", "\"", "\"a", "a\"", "42", "\"a\\\"\"")) {
      // surrounding spaces, quotes inside, unterminated, not a string, escapes: Jackson decides
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      assertFalse(PlainJsonString.is(b, 0, b.length), text);
    }
    byte[] framed = "xx\"mid\"yy".getBytes(StandardCharsets.UTF_8);
    assertTrue(PlainJsonString.is(framed, 2, 5));
    assertEquals("mid", PlainJsonString.read(framed, 2, 5));
  }
}
