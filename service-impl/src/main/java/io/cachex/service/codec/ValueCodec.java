package io.cachex.service.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns any JSON value into the bytes stored in Redis and back. Thread-safe, immutable, built once from config.
 *
 * <h2>Writing</h2>
 * <ul>
 *   <li>{@code Integer}, {@code Long}, {@code Short}, {@code Byte} and a {@code BigInteger} that fits a long: plain
 *       decimal ASCII ({@code "42"}, {@code "-7"}), so that INCR works and other clients read them. Fractional
 *       types ({@code Double} 2.0 included) are serialized.</li>
 *   <li>Everything else: the first serializer of the chain; then, when that payload is longer than
 *       {@code compressMinLength} bytes, the first compressor of the chain, behind the cachex header, unless that
 *       does not make it shorter (then the payload is stored as it is). A payload longer than
 *       {@code maxDecompressedBytes} is stored uncompressed, because compressed it could not be read back.</li>
 * </ul>
 *
 * <h2>Reading, in this order</h2>
 * <ol>
 *   <li>Bytes that are exactly a canonical decimal long ({@code Long.toString} output: optional '-', no leading
 *       zeros, no '+' or spaces) → {@code Long}.</li>
 *   <li>The cachex header ({@code BE CA}, version 1, codec id, length) → decompress with the codec of that id.
 *       Every built-in codec id is readable whatever the configured compressor chain (also {@code []}), so that
 *       changing or switching off compression never makes stored values unreadable.</li>
 *   <li>The LZ4 frame magic {@code 04 22 4D 18} → frame-decompress (django-cachex's {@code lz4.frame} values).</li>
 *   <li>Each serializer of the chain in order; the first that reads the whole input wins.</li>
 * </ol>
 * A header or frame that is present but wrong is a {@link DecodeException}, never a fall-through to the
 * serializers. Decompressed sizes are capped by {@code maxDecompressedBytes}.
 *
 * <h2>Cachex header (8 bytes, then the compressor's body)</h2>
 * <pre>
 *   0  0xBE   magic: a UTF-8 continuation byte and a reserved CBOR initial byte, so it cannot start
 *   1  0xCA          JSON text, an ASCII integer, UTF-8 text, CBOR, Smile (":)\n") or an LZ4 frame
 *   2  0x01   format version
 *   3  id     codec id: 1 = lz4 (LZ4 block), 2 = deflate (zlib stream)
 *   4  u32    uncompressed length, big-endian
 * </pre>
 */
public final class ValueCodec {

  /** Length of the cachex compression header. */
  public static final int HEADER_LENGTH = 8;
  static final byte MAGIC_0 = (byte) 0xBE;
  static final byte MAGIC_1 = (byte) 0xCA;
  static final byte FORMAT_VERSION = 1;

  public static final int DEFAULT_COMPRESS_MIN_LENGTH = 256;
  public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 8 * 1024 * 1024;
  /** The largest Java array a JVM reliably allocates. */
  static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private static final Map<String, Serializer> SERIALIZERS = registry(
      JacksonSerializer.JSON, JacksonSerializer.CBOR, JacksonSerializer.SMILE);
  private static final Map<String, Compressor> COMPRESSORS = registry(
      Lz4Compressor.INSTANCE, DeflateCompressor.INSTANCE);
  /** Readable codecs by header id: all built-in ones, independent of the configured chain. */
  private static final Compressor[] BY_ID = new Compressor[256];

  static {
    for (Compressor c : COMPRESSORS.values()) {
      if (c.id() < 1 || c.id() > 255 || BY_ID[c.id()] != null) {
        throw new ExceptionInInitializerError("bad or duplicate compressor id " + c.id());
      }
      BY_ID[c.id()] = c;
    }
  }

  private static final String KNOWN_IDS = COMPRESSORS.values().stream()
      .map(c -> c.name() + "=" + c.id()).toList().toString();

  private static final Set<String> CONFIG_KEYS = Set.of(
      "serializers", "serializer", "compressors", "compressor", "compressMinLength", "maxDecompressedBytes");

  private static final ValueCodec DEFAULTS = new ValueCodec(
      List.of(JacksonSerializer.JSON), List.of(Lz4Compressor.INSTANCE),
      DEFAULT_COMPRESS_MIN_LENGTH, DEFAULT_MAX_DECOMPRESSED_BYTES);

  private final Serializer[] serializers;
  private final Serializer writeSerializer;
  private final Compressor[] compressors;
  private final Compressor writeCompressor; // null: no compression on write
  private final int compressMinLength;
  private final int maxDecompressedBytes;
  private final String serializerNames;

  private ValueCodec(List<Serializer> serializers, List<Compressor> compressors, int compressMinLength,
                     int maxDecompressedBytes) {
    this.serializers = serializers.toArray(new Serializer[0]);
    this.writeSerializer = this.serializers[0];
    this.compressors = compressors.toArray(new Compressor[0]);
    this.writeCompressor = this.compressors.length == 0 ? null : this.compressors[0];
    this.compressMinLength = compressMinLength;
    this.maxDecompressedBytes = maxDecompressedBytes;
    this.serializerNames = names(this.serializers);
  }

  // ------------------------------------------------------------------------------------------------ config

  /** The default codec: {@code {"serializers":["json"],"compressors":["lz4"],...}}. */
  public static ValueCodec defaults() {
    return DEFAULTS;
  }

  /**
   * Builds a codec from its configuration object; {@code null} or {@code {}} gives {@link #defaults()}.
   * <pre>
   * { "serializers": ["json"],            // or "serializer": "json"; chain of json | cbor | smile; first writes
   *   "compressors": ["lz4"],             // or "compressor": "lz4"; lz4 | deflate; [] or null: no compression
   *   "compressMinLength": 256,           // compress payloads longer than this many bytes
   *   "maxDecompressedBytes": 8388608 }   // bomb guard on reading compressed values
   * </pre>
   * Singular and plural keys take a name or a list of names. Unknown keys, unknown names, duplicates, an empty
   * serializer chain and out-of-range numbers are {@link IllegalArgumentException}s that say what is valid.
   */
  public static ValueCodec fromConfig(JsonObject codecConfig) {
    if (codecConfig == null || codecConfig.isEmpty()) {
      return DEFAULTS;
    }
    for (String key : codecConfig.fieldNames()) {
      if (!CONFIG_KEYS.contains(key)) {
        throw new IllegalArgumentException("codec: unknown option '" + key + "'; valid options: " + CONFIG_KEYS);
      }
    }
    List<String> serializerNames = chain(codecConfig, "serializers", "serializer", List.of("json"), null);
    if (serializerNames.isEmpty()) {
      throw new IllegalArgumentException("codec: the serializer chain is empty; name at least one of "
          + SERIALIZERS.keySet());
    }
    List<String> compressorNames = chain(codecConfig, "compressors", "compressor", List.of("lz4"), List.of());
    List<Serializer> serializers = resolve(serializerNames, SERIALIZERS, "serializer");
    List<Compressor> compressors = resolve(compressorNames, COMPRESSORS, "compressor");
    int minLength = intOption(codecConfig, "compressMinLength", DEFAULT_COMPRESS_MIN_LENGTH, 0);
    int maxBytes = intOption(codecConfig, "maxDecompressedBytes", DEFAULT_MAX_DECOMPRESSED_BYTES, 1);
    return new ValueCodec(serializers, compressors, minLength, maxBytes);
  }

  private static List<String> chain(JsonObject config, String plural, String singular, List<String> absent,
                                    List<String> whenNull) {
    boolean hasPlural = config.containsKey(plural);
    boolean hasSingular = config.containsKey(singular);
    if (hasPlural && hasSingular) {
      throw new IllegalArgumentException("codec: give either '" + plural + "' or '" + singular + "', not both");
    }
    if (!hasPlural && !hasSingular) {
      return absent;
    }
    String key = hasPlural ? plural : singular;
    Object value = config.getValue(key);
    if (value == null) {
      if (whenNull == null) {
        throw new IllegalArgumentException("codec: '" + key + "' must not be null");
      }
      return whenNull;
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof JsonArray array) {
      List<String> names = new ArrayList<>(array.size());
      for (Object o : array) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException("codec: '" + key + "' must hold names (strings), found " + o);
        }
        names.add(s);
      }
      return names;
    }
    throw new IllegalArgumentException("codec: '" + key + "' must be a name or a list of names, found " + value);
  }

  private static <T> List<T> resolve(List<String> names, Map<String, T> known, String what) {
    List<T> out = new ArrayList<>(names.size());
    Set<String> seen = new LinkedHashSet<>();
    for (String name : names) {
      T t = known.get(name);
      if (t == null) {
        throw new IllegalArgumentException("codec: unknown " + what + " '" + name + "'; valid: " + known.keySet());
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("codec: " + what + " '" + name + "' is listed twice");
      }
      out.add(t);
    }
    return out;
  }

  private static int intOption(JsonObject config, String key, int def, int min) {
    if (!config.containsKey(key)) {
      return def;
    }
    Object v = config.getValue(key);
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      long l = ((Number) v).longValue();
      if (l >= min && l <= MAX_ARRAY) {
        return (int) l;
      }
    }
    throw new IllegalArgumentException("codec: '" + key + "' must be an integer from " + min + " to " + MAX_ARRAY
        + ", found " + v);
  }

  @SafeVarargs
  private static <T> Map<String, T> registry(T... items) {
    Map<String, T> map = new LinkedHashMap<>();
    for (T t : items) {
      map.put(t instanceof Serializer s ? s.name() : ((Compressor) t).name(), t);
    }
    return Collections.unmodifiableMap(map);
  }

  /** The effective configuration, for logs. */
  public JsonObject describe() {
    JsonObject ids = new JsonObject();
    for (Compressor c : COMPRESSORS.values()) {
      ids.put(c.name(), c.id());
    }
    return new JsonObject()
        .put("serializers", new JsonArray(Arrays.stream(serializers).map(Serializer::name).toList()))
        .put("compressors", new JsonArray(Arrays.stream(compressors).map(Compressor::name).toList()))
        .put("compressMinLength", compressMinLength)
        .put("maxDecompressedBytes", maxDecompressedBytes)
        .put("readableCompressorIds", ids)
        .put("readsLz4Frames", true)
        .put("lz4Implementation", Lz4Compressor.implementation());
  }

  @Override
  public String toString() {
    return "ValueCodec" + describe().encode();
  }

  // ------------------------------------------------------------------------------------------------ encode

  /**
   * Encodes a JSON value: {@code null}, {@code Boolean}, {@code Integer/Long/Short/Byte/Double/Float/BigInteger/
   * BigDecimal}, {@code String}, {@code JsonObject}, {@code JsonArray}, {@code Map} or {@code List} (wrapped as
   * JsonObject/JsonArray). The returned buffer wraps the encoded array (no copy).
   *
   * @throws IllegalArgumentException for any other type, or when the serializer cannot write the value
   */
  public Buffer encode(Object value) {
    byte[] bytes = encodeToBytes(value);
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }

  /** {@link #encode(Object)} as a byte array. */
  public byte[] encodeToBytes(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return DecimalLong.toAscii(((Number) value).longValue());
    }
    if (value instanceof BigInteger big && big.bitLength() < 64) {
      return DecimalLong.toAscii(big.longValue());
    }
    Object json = toSerializable(value);
    byte[] payload = writeSerializer.serialize(json);
    if (writeCompressor == null || payload.length <= compressMinLength || payload.length > maxDecompressedBytes) {
      return payload;
    }
    return compress(payload);
  }

  private static Object toSerializable(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Double
        || value instanceof BigDecimal || value instanceof BigInteger
        || value instanceof JsonObject || value instanceof JsonArray) {
      return value;
    }
    if (value instanceof Float f) {
      // As its decimal text, like JSON would: 1.1f is stored as 1.1, not as 1.100000023841858 (CBOR, Smile).
      return f.isNaN() || f.isInfinite() ? (Object) f.doubleValue() : Double.valueOf(f.toString());
    }
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) map;
      return new JsonObject(m);
    }
    if (value instanceof List<?> list) {
      return new JsonArray(list);
    }
    throw new IllegalArgumentException("codec: cannot encode a " + value.getClass().getName()
        + "; a value must be null, Boolean, Integer, Long, Short, Byte, Double, Float, BigInteger, BigDecimal,"
        + " String, JsonObject, JsonArray, Map or List");
  }

  private byte[] compress(byte[] payload) {
    Compressor c = writeCompressor;
    long room = (long) HEADER_LENGTH + c.maxCompressedLength(payload.length);
    if (room > MAX_ARRAY) {
      return payload;
    }
    byte[] out = new byte[(int) room];
    int n = c.compress(payload, 0, payload.length, out, HEADER_LENGTH);
    int total = HEADER_LENGTH + n;
    if (total >= payload.length) {
      return payload; // compression did not shrink it
    }
    out[0] = MAGIC_0;
    out[1] = MAGIC_1;
    out[2] = FORMAT_VERSION;
    out[3] = (byte) c.id();
    int len = payload.length;
    out[4] = (byte) (len >>> 24);
    out[5] = (byte) (len >>> 16);
    out[6] = (byte) (len >>> 8);
    out[7] = (byte) len;
    return Arrays.copyOf(out, total);
  }

  // ------------------------------------------------------------------------------------------------ decode

  /**
   * Decodes stored bytes into {@code null}, {@code Boolean}, {@code Long}, {@code Double}, {@code BigInteger},
   * {@code BigDecimal}, {@code String}, {@code JsonObject} or {@code JsonArray}. Nested numbers may be Integer or
   * Long. Reads the buffer's backing array in place when it has one.
   */
  public Object decode(Buffer stored) throws DecodeException {
    if (stored instanceof BufferInternal internal) {
      ByteBuf buf = internal.getByteBuf();
      if (buf.hasArray()) {
        return decode(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
      }
    }
    byte[] bytes = stored.getBytes();
    return decode(bytes, 0, bytes.length);
  }

  /** {@link #decode(Buffer)} for a byte array. */
  public Object decode(byte[] stored) throws DecodeException {
    return decode(stored, 0, stored.length);
  }

  /** Decodes {@code stored[offset, offset+length)}. */
  public Object decode(byte[] stored, int offset, int length) throws DecodeException {
    Long number = DecimalLong.parseCanonical(stored, offset, length);
    if (number != null) {
      return number;
    }
    if (length >= 2 && stored[offset] == MAGIC_0 && stored[offset + 1] == MAGIC_1) {
      byte[] plain = decompressHeader(stored, offset, length);
      return deserialize(plain, 0, plain.length);
    }
    if (Lz4FrameReader.hasMagic(stored, offset, length)) {
      Lz4FrameReader.Result plain = Lz4FrameReader.read(stored, offset, length, maxDecompressedBytes);
      return deserialize(plain.bytes(), 0, plain.length());
    }
    return deserialize(stored, offset, length);
  }

  /**
   * About how many bytes decoding {@code stored} reads: the decompressed size our header declares, the
   * cap for an LZ4 frame (its size is not always declared), else the stored length. Cheap: it reads a
   * few header bytes only. Used to move large decodes off the event loop.
   */
  public long decodedSize(Buffer stored) {
    int len = stored.length();
    if (len >= HEADER_LENGTH && stored.getByte(0) == MAGIC_0 && stored.getByte(1) == MAGIC_1) {
      return stored.getUnsignedInt(4);
    }
    if (len >= 4 && stored.getIntLE(0) == Lz4FrameReader.FRAME_MAGIC) {
      return maxDecompressedBytes;
    }
    return len;
  }

  private byte[] decompressHeader(byte[] b, int off, int len) throws DecodeException {
    if (len < HEADER_LENGTH) {
      throw new DecodeException("cachex header: truncated (" + len + " bytes, a header has " + HEADER_LENGTH + ")");
    }
    if (b[off + 2] != FORMAT_VERSION) {
      throw new DecodeException("cachex header: unsupported format version " + (b[off + 2] & 0xFF)
          + " (this reader knows version " + FORMAT_VERSION + ")");
    }
    int id = b[off + 3] & 0xFF;
    Compressor c = BY_ID[id];
    if (c == null) {
      throw new DecodeException("cachex header: unknown codec id " + id + "; known: " + KNOWN_IDS);
    }
    long size = ((b[off + 4] & 0xFFL) << 24) | ((b[off + 5] & 0xFF) << 16) | ((b[off + 6] & 0xFF) << 8)
        | (b[off + 7] & 0xFF);
    if (size > maxDecompressedBytes) {
      throw new DecodeException(c.name() + ": decompressed size " + size + " exceeds maxDecompressedBytes "
          + maxDecompressedBytes);
    }
    int bodyLength = len - HEADER_LENGTH;
    if (size > c.maxDecompressedLength(bodyLength)) {
      throw new DecodeException(c.name() + ": corrupt data: the header claims " + size + " bytes, more than "
          + bodyLength + " compressed bytes can hold");
    }
    byte[] out = new byte[(int) size];
    try {
      c.decompress(b, off + HEADER_LENGTH, bodyLength, out, 0, (int) size);
    } catch (DecodeException e) {
      throw e;
    } catch (Exception e) { // LZ4Exception, DataFormatException, a bounds error on a malformed stream...
      throw new DecodeException(c.name() + ": corrupt data: " + firstLine(e), e);
    }
    return out;
  }

  private Object deserialize(byte[] b, int off, int len) throws DecodeException {
    StringBuilder why = null;
    Exception firstError = null;
    for (Serializer s : serializers) {
      if (!s.mayRead(b, off, len)) {
        why = append(why, s.name(), s.refusal());
        continue;
      }
      try {
        return normalize(s.deserialize(b, off, len));
      } catch (Exception e) {
        why = append(why, s.name(), firstLine(e));
        if (firstError == null) {
          firstError = e;
        }
      }
    }
    String what = len == 0 ? "an empty value" : len + " bytes starting " + hexPrefix(b, off, len);
    throw new DecodeException("no serializer of " + serializerNames + " could read " + what + " (" + why + ")",
        firstError);
  }

  /** Top-level shape of a decoded value: integral → Long (BigInteger when too big), Float → Double, Map/List → JSON. */
  private static Object normalize(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double
        || v instanceof JsonObject || v instanceof JsonArray) {
      return v;
    }
    if (v instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) map;
      return new JsonObject(m);
    }
    if (v instanceof List<?> list) {
      return new JsonArray(list);
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (v instanceof Float f) {
      return f.isNaN() || f.isInfinite() ? (Object) f.doubleValue() : Double.valueOf(f.toString());
    }
    return v; // BigDecimal, and binary (byte[]) from a foreign CBOR/Smile writer
  }

  private static StringBuilder append(StringBuilder sb, String name, String why) {
    sb = sb == null ? new StringBuilder() : sb.append("; ");
    return sb.append(name).append(": ").append(why);
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 200 ? m.substring(0, 200) + "…" : m;
  }

  static String hexPrefix(byte[] b, int off, int len) {
    int n = Math.min(len, 16);
    StringBuilder sb = new StringBuilder(4 + 2 * n).append("0x");
    for (int i = 0; i < n; i++) {
      int v = b[off + i] & 0xFF;
      sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 0xF, 16));
    }
    if (len > n) {
      sb.append('…');
    }
    return sb.toString();
  }

  private static String names(Serializer[] chain) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < chain.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(chain[i].name());
    }
    return sb.append(']').toString();
  }
}
