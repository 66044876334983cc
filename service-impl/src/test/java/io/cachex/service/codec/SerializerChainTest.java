package io.cachex.service.codec;

import static io.cachex.service.codec.RoundTripTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Write with the first serializer, read with each in order: format migrations. */
class SerializerChainTest {

  static ValueCodec chain(String... names) {
    return ValueCodec.fromConfig(new JsonObject().put("serializers", new JsonArray(List.of((Object[]) names))));
  }

  static List<Object> samples() {
    JsonArray big = new JsonArray();
    for (int i = 0; i < 100; i++) {
      big.add(new JsonObject().put("i", i).put("s", "value " + i));
    }
    return java.util.Arrays.asList(null, true, "text", "42", 1.5, RoundTripTest.nested(), new JsonArray().add(1),
        big, "😀");
  }

  @Test
  void cborDataIsReadableByAJsonThenCborChain() throws DecodeException {
    ValueCodec writer = chain("cbor");
    ValueCodec reader = chain("json", "cbor");
    for (Object v : samples()) {
      assertEquals(v, reader.decode(writer.encodeToBytes(v)), String.valueOf(v));
    }
  }

  @Test
  void jsonDataIsReadableByACborThenJsonChainAndSmileToo() throws DecodeException {
    for (String[] pair : new String[][] {{"json", "cbor"}, {"json", "smile"}, {"smile", "json"}, {"cbor", "smile"}}) {
      ValueCodec writer = chain(pair[0]);
      ValueCodec reader = chain(pair[1], pair[0]);
      for (Object v : samples()) {
        assertEquals(v, reader.decode(writer.encodeToBytes(v)), pair[0] + " read by " + pair[1] + "," + pair[0]);
      }
    }
  }

  @Test
  void shortJsonNumbersAreNotMistakenForCborIntegers() throws DecodeException {
    // '9' is 0x39, the CBOR initial byte of a negative integer with a 2-byte argument: untagged, the JSON text
    // 9.5 is also the complete CBOR value -11830, and "false  " the CBOR string "alse  ".
    ValueCodec cborFirst = chain("cbor", "json");
    byte[] json = ValueCodec.defaults().encodeToBytes(9.5);
    assertEquals("9.5", new String(json));
    assertEquals(9.5, cborFirst.decode(json));
    assertEquals(9.0E9, cborFirst.decode(bytes("9e9")));
    assertEquals(Boolean.FALSE, cborFirst.decode(bytes("false  ")));
    assertEquals(null, cborFirst.decode(bytes("null           ")));
  }

  @Test
  void untaggedCborIsRefusedByDesign() throws Exception {
    byte[] plain = new CBORMapper().writeValueAsBytes(Map.of("a", 1));
    DecodeException e = assertThrows(DecodeException.class, () -> chain("cbor").decode(plain));
    assertTrue(e.getMessage().contains("cbor: no CBOR self-describe tag D9 D9 F7"), e.getMessage());
  }

  @Test
  void aChainWithoutTheWritersFormatFailsNamingWhatItTried() {
    byte[] cbor = chain("cbor").encodeToBytes(new JsonObject().put("a", 1));
    DecodeException e = assertThrows(DecodeException.class, () -> chain("json", "smile").decode(cbor));
    String m = e.getMessage();
    assertTrue(m.startsWith("no serializer of [json, smile] could read " + cbor.length + " bytes starting 0xd9d9f7"),
        m);
    assertTrue(m.contains("json: ") && m.contains("smile: no Smile header"), m);

    byte[] longer = chain("cbor").encodeToBytes(new JsonObject().put("key", "a value longer than sixteen bytes"));
    DecodeException e2 = assertThrows(DecodeException.class, () -> chain("json").decode(longer));
    assertTrue(e2.getMessage().contains("starting " + ValueCodec.hexPrefix(longer, 0, 16).substring(0, 34) + "…"),
        e2.getMessage());
  }

  @Test
  void theWholeInputMustBeOneValue() {
    ValueCodec c = ValueCodec.defaults();
    for (String s : new String[] {"{\"a\":1} trailing", "1 2", "\"a\" \"b\"", "{\"a\":1}{\"b\":2}", "[1,2]]", "true false",
        "nul", "{\"a\":", "\"unterminated"}) {
      assertThrows(DecodeException.class, () -> c.decode(bytes(s)), s);
    }
    ValueCodec cbor = chain("cbor");
    byte[] good = cbor.encodeToBytes("abc");
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertThrows(DecodeException.class, () -> cbor.decode(trailing), "CBOR value followed by a stray byte");
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertThrows(DecodeException.class, () -> cbor.decode(truncated));
  }
}
