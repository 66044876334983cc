package io.cachex.service.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values as django-cachex stores them with its JSON serializer and LZ4 compressor: {@code json.dumps(v).encode()}
 * (integers raw), and above its threshold {@code lz4.frame.compress(data)} from python-lz4, whose defaults are
 * block-linked 64 KB blocks with the content size stored and no content checksum. The bytes are made by
 * independent tools: python3 (stdlib {@code json}) and Debian's {@code lz4} CLI (LZ4 frame format).
 */
class DjangoInteropTest {

  static String python;
  static String lz4;

  @TempDir
  Path tmp;

  @BeforeAll
  static void tools() {
    python = ExternalTools.require("python3", "python3");
    lz4 = ExternalTools.require("lz4", "lz4");
  }

  static final String PYTHON = """
      import base64, json, random, sys
      kind = sys.argv[1]
      if kind == "small":
          v = {"a": 1, "b": [1, 2], "s": "h\\u00e9llo \\U0001F600 \\u4e2d", "f": 1.5, "n": None, "t": True,
               "big": 2 ** 70, "neg": -3, "e": 1e100, "nested": {"x": [{"y": False}]}}
      elif kind == "large":
          v = {"items": [{"id": i, "name": "item %d" % i, "tags": ["t%d" % (i % 7), "caf\\u00e9"], "score": i / 4}
                         for i in range(3000)]}
      elif kind == "random":
          random.seed(1)
          v = {"blob": base64.b64encode(random.randbytes(200000)).decode()}
      elif kind == "scalars":
          out = [json.dumps(x).encode() for x in ["42", True, 1.0, float("nan"), float("-inf"), None, "caf\\u00e9", [], {}]]
          out.append(str(42).encode())            # django-cachex stores ints raw (redis-py sends str(int))
          out.append(str(-12345678901234).encode())
          sys.stdout.buffer.write(b"\\0".join(out))
          sys.exit(0)
      sys.stdout.buffer.write(json.dumps(v).encode())
      """;

  static byte[] python(String kind) throws Exception {
    return ExternalTools.run(null, python, "-c", PYTHON, kind);
  }

  /** {@code lz4 -z -c OPTIONS file}: a file, not stdin, so that --content-size can be honoured. */
  byte[] lz4(byte[] data, String... options) throws Exception {
    Path in = Files.createTempFile(tmp, "value", ".json");
    Files.write(in, data);
    return lz4File(in, options);
  }

  static byte[] lz4File(Path in, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(lz4, "-z", "-c", "-q"));
    command.addAll(Arrays.asList(options));
    command.add(in.toString());
    byte[] frame = ExternalTools.run(null, command.toArray(new String[0]));
    assertTrue(Lz4FrameReader.hasMagic(frame, 0, frame.length), "lz4 CLI wrote an LZ4 frame");
    return frame;
  }

  /** The options that make the CLI write what python-lz4's lz4.frame.compress writes by default. */
  static final String[] PYTHON_LZ4_DEFAULTS = {"-B4", "-BD", "--content-size", "--no-frame-crc"};

  @Test
  void pythonJsonTextIsRead() throws Exception {
    byte[] json = python("small");
    String text = new String(json, StandardCharsets.US_ASCII);
    assertTrue(text.startsWith("{\"a\": 1, \"b\": [1, 2], "), "Python's separators: " + text);
    assertTrue(text.contains("\\u00e9") && text.contains("\\ud83d\\ude00"), "ensure_ascii escapes: " + text);

    JsonObject expected = new JsonObject().put("a", 1).put("b", new JsonArray().add(1).add(2))
        .put("s", "héllo 😀 中").put("f", 1.5).putNull("n").put("t", true)
        .put("big", BigInteger.TWO.pow(70)).put("neg", -3).put("e", 1e100)
        .put("nested", new JsonObject().put("x", new JsonArray().add(new JsonObject().put("y", false))));
    Object decoded = ValueCodec.defaults().decode(json);
    assertInstanceOf(JsonObject.class, decoded);
    assertEquals(expected, decoded);
    assertEquals(BigInteger.TWO.pow(70), ((JsonObject) decoded).getValue("big"));
  }

  @Test
  void pythonScalarsAndRawIntegers() throws Exception {
    List<byte[]> parts = split(python("scalars"));
    List<Object> expected = Arrays.asList("42", true, 1.0, Double.NaN, Double.NEGATIVE_INFINITY, null, "café",
        new JsonArray(), new JsonObject(), 42L, -12345678901234L);
    assertEquals(expected.size(), parts.size());
    ValueCodec c = ValueCodec.defaults();
    for (int i = 0; i < parts.size(); i++) {
      Object decoded = c.decode(parts.get(i));
      assertEquals(expected.get(i), decoded, new String(parts.get(i), StandardCharsets.US_ASCII));
      if (expected.get(i) != null) {
        assertEquals(expected.get(i).getClass(), decoded.getClass());
      }
    }
  }

  @Test
  void lz4FrameAsPythonLz4WritesItByDefault() throws Exception {
    byte[] json = python("large");
    assertTrue(json.length > 3 * 65536, "several 64 KB blocks: " + json.length);
    byte[] frame = lz4(json, PYTHON_LZ4_DEFAULTS);
    assertEquals(0x48, frame[4] & 0xFF, "FLG: version 01, block-linked, content size, no checksums");
    assertEquals(0x40, frame[5] & 0xFF, "BD: 64 KB blocks");
    assertTrue(frame.length < json.length / 3);

    Object fromFrame = ValueCodec.defaults().decode(frame);
    assertEquals(ValueCodec.defaults().decode(json), fromFrame);
    JsonArray items = ((JsonObject) fromFrame).getJsonArray("items");
    assertEquals(3000, items.size());
    assertEquals(new JsonObject().put("id", 2999).put("name", "item 2999")
        .put("tags", new JsonArray().add("t3").add("café")).put("score", 749.75), items.getJsonObject(2999));
  }

  @Test
  void lz4FrameVariantsOfTheCli() throws Exception {
    byte[] json = python("large");
    Object expected = ValueCodec.defaults().decode(json);
    String[][] variants = {
        {},                                  // CLI defaults: independent 4 MB blocks, content checksum
        {"-B4", "-BD", "-BX"},               // linked, block checksums
        {"-B5", "--content-size"},           // 256 KB independent blocks
        {"-B6", "-BD", "--no-frame-crc"},    // 1 MB blocks
        {"-9", "-B4", "-BD"},                // LZ4HC (django-cachex's level > 2)
    };
    for (String[] options : variants) {
      assertEquals(expected, ValueCodec.defaults().decode(lz4(json, options)), Arrays.toString(options));
    }
  }

  @Test
  void incompressibleDataGoesIntoStoredBlocks() throws Exception {
    byte[] json = python("random");
    byte[] frame = lz4(json, PYTHON_LZ4_DEFAULTS);
    int firstBlockWord = (frame[15] & 0xFF) | (frame[16] & 0xFF) << 8 | (frame[17] & 0xFF) << 16 | (frame[18] & 0xFF) << 24;
    assertTrue(firstBlockWord < 0, "the first block is stored uncompressed (high bit set)");
    assertEquals(ValueCodec.defaults().decode(json), ValueCodec.defaults().decode(frame));
  }

  @Test
  void concatenatedFrames() throws Exception {
    byte[] json = python("small");
    int half = json.length / 2;
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(lz4(Arrays.copyOf(json, half), PYTHON_LZ4_DEFAULTS));
    both.write(lz4(Arrays.copyOfRange(json, half, json.length)));
    assertEquals(ValueCodec.defaults().decode(json), ValueCodec.defaults().decode(both.toByteArray()));
  }

  @Test
  void corruptOrTruncatedCliFramesAreDecodeExceptions() throws Exception {
    byte[] frame = lz4(python("large")); // CLI default: with a content checksum
    byte[] flipped = frame.clone();
    flipped[frame.length / 2] ^= 0x20;
    assertThrows(DecodeException.class, () -> ValueCodec.defaults().decode(flipped));
    byte[] truncated = Arrays.copyOf(frame, frame.length - 5);
    DecodeException e = assertThrows(DecodeException.class, () -> ValueCodec.defaults().decode(truncated));
    assertTrue(e.getMessage().startsWith("lz4 frame: corrupt data: truncated"), e.getMessage());
  }

  @Test
  void hundredMegabytesOfZerosAreStoppedAtTheCap() throws Exception {
    Path zeros = Files.createTempFile(tmp, "zeros", ".bin");
    try (RandomAccessFile f = new RandomAccessFile(zeros.toFile(), "rw")) {
      f.setLength(100_000_000); // sparse: no 100 MB write
    }
    ValueCodec capped = ValueCodec.fromConfig(new JsonObject().put("maxDecompressedBytes", 1 << 20));

    byte[] streamed = lz4File(zeros); // no content size: the cap must stop the decoder
    assertTrue(streamed.length < 1_000_000, "" + streamed.length);
    DecodeException[] thrown = new DecodeException[1];
    long allocated = BombGuardTest.allocatedBy(() -> thrown[0] = assertThrows(DecodeException.class,
        () -> capped.decode(streamed)));
    assertEquals("lz4 frame: decompressed size exceeds maxDecompressedBytes 1048576", thrown[0].getMessage());
    assertTrue(allocated < 8 << 20, "allocated " + allocated + " bytes");

    byte[] declared = lz4File(zeros, "--content-size");
    long allocatedDeclared = BombGuardTest.allocatedBy(() -> thrown[0] = assertThrows(DecodeException.class,
        () -> capped.decode(declared)));
    assertEquals("lz4 frame: declared content size 100000000 exceeds maxDecompressedBytes 1048576",
        thrown[0].getMessage());
    assertTrue(allocatedDeclared < 1 << 20, "allocated " + allocatedDeclared + " bytes");
  }

  static List<byte[]> split(byte[] b) throws IOException {
    List<byte[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == 0) {
        parts.add(Arrays.copyOfRange(b, start, i));
        start = i + 1;
      }
    }
    return parts;
  }
}
