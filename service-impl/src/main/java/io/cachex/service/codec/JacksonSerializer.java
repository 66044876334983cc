package io.cachex.service.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import io.vertx.core.json.jackson.VertxModule;

/**
 * The three built-in serializers, each one Jackson {@link ObjectMapper} built once (mappers, readers and writers are
 * thread-safe and cache their (de)serializers). Vert.x's {@link VertxModule} is registered so that
 * {@code JsonObject}/{@code JsonArray} (also nested inside plain maps and lists) are written as JSON objects and
 * arrays in every format.
 * <p>
 * Common settings: the whole input must be one value ({@code FAIL_ON_TRAILING_TOKENS}), so that a format does not
 * "succeed" on the first token of another format's bytes; no 20 MB string limit (values are bounded by the
 * store and by {@code maxDecompressedBytes}); nesting at most {@link JsonDepth#MAX} levels (the encoders that a value
 * read here passes through next are recursive).
 */
final class JacksonSerializer implements Serializer {

  private static final StreamReadConstraints NO_STRING_LIMIT =
      StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).maxNestingDepth(JsonDepth.MAX).build();

  /** JSON text, UTF-8. NaN and ±Infinity are written and read bare, as Python's {@code json} does. */
  static final JacksonSerializer JSON = new JacksonSerializer("json",
      new JsonFactoryBuilder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .streamReadConstraints(NO_STRING_LIMIT).build(),
      null, null);

  /**
   * CBOR, always written with the self-describe tag 55799 ({@code D9 D9 F7}) and only read with it: untagged CBOR
   * cannot be told from JSON (the JSON text {@code 9.5} is also the complete CBOR value -11830, because '9' is the
   * initial byte of a negative integer with a 2-byte argument), so the tag is what makes a ["json","cbor"] or
   * ["cbor","json"] chain exact.
   */
  static final JacksonSerializer CBOR = new JacksonSerializer("cbor",
      CBORFactory.builder().enable(CBORGenerator.Feature.WRITE_TYPE_HEADER)
          .streamReadConstraints(NO_STRING_LIMIT).build(),
      new byte[] {(byte) 0xD9, (byte) 0xD9, (byte) 0xF7}, "no CBOR self-describe tag D9 D9 F7");

  /** Smile with its {@code :)\n} header, which Jackson writes and requires by default. */
  static final JacksonSerializer SMILE = new JacksonSerializer("smile",
      SmileFactory.builder().streamReadConstraints(NO_STRING_LIMIT).build(),
      new byte[] {':', ')', '\n'}, "no Smile header :)\\n");

  private final String name;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final byte[] prefix;
  private final String refusal;

  private JacksonSerializer(String name, JsonFactory factory, byte[] prefix, String refusal) {
    this.name = name;
    ObjectMapper mapper = new ObjectMapper(factory)
        .registerModule(new VertxModule())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.writer = mapper.writer();
    this.reader = mapper.readerFor(Object.class);
    this.prefix = prefix;
    this.refusal = refusal;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] serialize(Object jsonValue) {
    if (this == JSON && jsonValue instanceof String s && PlainJsonString.fits(s)) {
      return PlainJsonString.write(s);
    }
    try {
      return writer.writeValueAsBytes(jsonValue);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          name + ": cannot serialize a " + (jsonValue == null ? "null" : jsonValue.getClass().getName()) + ": "
              + e.getOriginalMessage(), e);
    }
  }

  @Override
  public Object deserialize(byte[] bytes, int offset, int length) throws Exception {
    if (this == JSON && PlainJsonString.is(bytes, offset, length)) {
      return PlainJsonString.read(bytes, offset, length);
    }
    return reader.readValue(bytes, offset, length);
  }

  @Override
  public boolean mayRead(byte[] bytes, int offset, int length) {
    if (prefix == null) {
      return true;
    }
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String refusal() {
    return refusal;
  }
}
