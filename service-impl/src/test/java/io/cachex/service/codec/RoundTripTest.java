package io.cachex.service.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every JSON value type, through each serializer (with the default lz4 compression behind it). */
class RoundTripTest {

  static ValueCodec codec(String serializer) {
    return ValueCodec.fromConfig(new JsonObject().put("serializers", new JsonArray().add(serializer)));
  }

  static Object roundTrip(ValueCodec codec, Object value) throws DecodeException {
    Object viaBytes = codec.decode(codec.encodeToBytes(value));
    Object viaBuffer = codec.decode(codec.encode(value));
    assertEquals(viaBytes, viaBuffer, "byte[] and Buffer APIs disagree");
    return viaBytes;
  }

  static String ascii(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  static JsonObject nested() {
    return new JsonObject()
        .put("s", "text").put("empty", "").put("i", 1).put("l", Long.MAX_VALUE).put("d", 2.5).put("t", true)
        .put("f", false).put("n", (Object) null).put("unicodé ключ", "ünïcødé ✓ 😀 中文")
        .put("arr", new JsonArray().add(1).add("two").add(3.5).addNull().add(new JsonObject().put("deep", true))
            .add(new JsonArray().add(new JsonArray())))
        .put("obj", new JsonObject().put("a", new JsonObject().put("b", new JsonObject().put("c", "d"))))
        .put("emptyObj", new JsonObject()).put("emptyArr", new JsonArray());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor", "smile"})
  void scalarsComeBackWithTheirTopLevelType(String serializer) throws DecodeException {
    ValueCodec c = codec(serializer);
    assertNull(roundTrip(c, null));
    assertEquals(Boolean.TRUE, roundTrip(c, true));
    assertEquals(Boolean.FALSE, roundTrip(c, false));
    assertEquals("", roundTrip(c, ""));
    assertEquals("42", roundTrip(c, "42"));          // a string, not a number
    assertEquals("true", roundTrip(c, "true"));      // a string, not a boolean
    assertEquals("null", roundTrip(c, "null"));
    assertEquals(42L, roundTrip(c, 42));             // Integer → Long
    assertEquals(42L, roundTrip(c, 42L));
    assertEquals(-7L, roundTrip(c, (short) -7));
    assertEquals(-7L, roundTrip(c, (byte) -7));
    assertEquals(42.0, roundTrip(c, 42.0));          // a Double stays a Double, even integral
    assertEquals(Long.MAX_VALUE, roundTrip(c, Long.MAX_VALUE));
    assertEquals(Long.MIN_VALUE, roundTrip(c, Long.MIN_VALUE));
    assertEquals(1.5, roundTrip(c, 1.5));
    assertEquals(1.1, roundTrip(c, 1.1f));           // Float as its decimal text, back as Double
    assertEquals(-0.0, roundTrip(c, -0.0));
    assertEquals(Double.MIN_VALUE, roundTrip(c, Double.MIN_VALUE));
    assertEquals(Double.MAX_VALUE, roundTrip(c, Double.MAX_VALUE));
    assertEquals(Double.NaN, roundTrip(c, Double.NaN));
    assertEquals(Double.POSITIVE_INFINITY, roundTrip(c, Double.POSITIVE_INFINITY));
    assertEquals(Double.NEGATIVE_INFINITY, roundTrip(c, Double.NEGATIVE_INFINITY));
    String unicode = "héllo wörld ✓ 😀 中文 \u0000 \t \"quoted\" \\ /";
    assertEquals(unicode, roundTrip(c, unicode));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor", "smile"})
  void bigNumbers(String serializer) throws DecodeException {
    ValueCodec c = codec(serializer);
    BigInteger beyond = BigInteger.TWO.pow(64).add(BigInteger.ONE);
    assertEquals(beyond, roundTrip(c, beyond));
    assertEquals(beyond.negate(), roundTrip(c, beyond.negate()));
    assertEquals(123L, roundTrip(c, BigInteger.valueOf(123)));   // fits a long: stored raw, read as Long
    Object decimal = roundTrip(c, new BigDecimal("1.25"));
    assertInstanceOf(Number.class, decimal);
    assertEquals(0, new BigDecimal(decimal.toString()).compareTo(new BigDecimal("1.25")), "" + decimal);
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor", "smile"})
  void objectsAndArrays(String serializer) throws DecodeException {
    ValueCodec c = codec(serializer);
    JsonObject object = nested();
    Object back = roundTrip(c, object);
    assertInstanceOf(JsonObject.class, back);
    assertEquals(object, back);
    assertEquals(object.encode(), ((JsonObject) back).encode());
    assertInstanceOf(JsonObject.class, ((JsonObject) back).getJsonArray("arr").getValue(4));

    JsonArray array = new JsonArray().add(object).add("x").add(1).addNull();
    Object backArray = roundTrip(c, array);
    assertInstanceOf(JsonArray.class, backArray);
    assertEquals(array, backArray);
    assertEquals(new JsonObject(), roundTrip(c, new JsonObject()));
    assertEquals(new JsonArray(), roundTrip(c, new JsonArray()));

    // large enough to be compressed: the compressed path returns the same shapes
    JsonArray big = new JsonArray();
    for (int i = 0; i < 200; i++) {
      big.add(nested().put("i", i));
    }
    byte[] stored = c.encodeToBytes(big);
    assertEquals(ValueCodec.MAGIC_0, stored[0]);
    assertEquals(big, c.decode(stored));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor", "smile"})
  void mapsAndListsAreWrapped(String serializer) throws DecodeException {
    ValueCodec c = codec(serializer);
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("a", 1);
    map.put("list", new ArrayList<>(List.of("x", 2)));
    map.put("json", new JsonObject().put("k", "v"));
    Object back = roundTrip(c, map);
    assertInstanceOf(JsonObject.class, back);
    assertEquals(new JsonObject(map), back);
    assertEquals("v", ((JsonObject) back).getJsonObject("json").getString("k"));

    List<Object> list = Arrays.asList(1, "two", null, Map.of("three", 3));
    Object backList = roundTrip(c, list);
    assertInstanceOf(JsonArray.class, backList);
    assertEquals(new JsonArray(list), backList);
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor", "smile"})
  void integralValuesAreStoredAsPlainDecimalWhateverTheSerializer(String serializer) {
    ValueCodec c = codec(serializer);
    assertEquals("42", ascii(c.encodeToBytes(42)));
    assertEquals("-7", ascii(c.encodeToBytes(-7L)));
    assertEquals("0", ascii(c.encodeToBytes((short) 0)));
    assertEquals("-128", ascii(c.encodeToBytes((byte) -128)));
    assertEquals("9223372036854775807", ascii(c.encodeToBytes(Long.MAX_VALUE)));
    assertEquals("-9223372036854775808", ascii(c.encodeToBytes(Long.MIN_VALUE)));
    assertEquals("-9223372036854775808", ascii(c.encodeToBytes(BigInteger.valueOf(Long.MIN_VALUE))));
    assertArrayEquals(c.encodeToBytes(42), c.encode(42).getBytes());
  }

  @Test
  void jsonTextIsWhatOtherClientsExpect() {
    ValueCodec c = ValueCodec.defaults();
    assertEquals("\"42\"", ascii(c.encodeToBytes("42")));
    assertEquals("\"abc\"", ascii(c.encodeToBytes("abc")));
    assertEquals("\"\"", ascii(c.encodeToBytes("")));
    assertEquals("true", ascii(c.encodeToBytes(true)));
    assertEquals("null", ascii(c.encodeToBytes(null)));
    assertEquals("1.5", ascii(c.encodeToBytes(1.5)));
    assertEquals("42.0", ascii(c.encodeToBytes(42.0)));
    assertEquals("NaN", ascii(c.encodeToBytes(Double.NaN)));          // as Python's json.dumps writes it
    assertEquals("-Infinity", ascii(c.encodeToBytes(Double.NEGATIVE_INFINITY)));
    assertEquals("18446744073709551617", ascii(c.encodeToBytes(BigInteger.TWO.pow(64).add(BigInteger.ONE))));
    assertEquals("{\"a\":[1,\"x\"]}", ascii(c.encodeToBytes(new JsonObject().put("a", new JsonArray().add(1).add("x")))));
    assertEquals("\"h\u00c3\u00a9\"", ascii(c.encodeToBytes("h\u00e9")), "UTF-8, not escaped");
  }

  @Test
  void readingRawIntegers() throws DecodeException {
    ValueCodec c = ValueCodec.defaults();
    assertEquals(42L, c.decode(bytes("42")));
    assertEquals(-7L, c.decode(bytes("-7")));
    assertEquals(0L, c.decode(bytes("0")));
    assertEquals(Long.MIN_VALUE, c.decode(bytes("-9223372036854775808")));
    // not canonical longs, so the serializers decide:
    assertEquals(new BigInteger("9223372036854775808"), c.decode(bytes("9223372036854775808")));
    assertEquals(42L, c.decode(bytes(" 42 ")), "valid JSON text for the number 42");
    assertEquals(0L, c.decode(bytes("-0")), "JSON reads -0 as the integer 0");
    assertEquals(1000.0, c.decode(bytes("1e3")));
    assertEquals(42.0, c.decode(bytes("42.0")));
  }

  @Test
  void nonCanonicalIntegersThatAreNotJsonFailClearly() {
    ValueCodec c = ValueCodec.defaults();
    DecodeException e = assertThrows(DecodeException.class, () -> c.decode(bytes("007")));
    assertTrue(e.getMessage().startsWith("no serializer of [json] could read 3 bytes starting 0x303037"),
        e.getMessage());
    assertTrue(e.getMessage().contains("json: "), e.getMessage());
    assertThrows(DecodeException.class, () -> c.decode(bytes("+5")));
    DecodeException empty = assertThrows(DecodeException.class, () -> c.decode(new byte[0]));
    assertTrue(empty.getMessage().contains("an empty value"), empty.getMessage());
  }

  @Test
  void unsupportedTypesAreRefusedWithTheirName() {
    ValueCodec c = ValueCodec.defaults();
    for (Object bad : new Object[] {new Object(), new byte[] {1}, 'c', new AtomicLong(1), Optional.of(1)}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.encode(bad));
      assertTrue(e.getMessage().contains(bad.getClass().getName()), e.getMessage());
      assertTrue(e.getMessage().contains("JsonObject"), "lists what is valid: " + e.getMessage());
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
