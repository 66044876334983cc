package io.cachex.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code <binary> --version} says: flavor and version. Cached per path. */
final class BinaryInfo {

  private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final Map<Path, BinaryInfo> CACHE = new ConcurrentHashMap<>();

  final Path path;
  final String flavor;
  final String version;
  final int major;
  final boolean embedded;

  private BinaryInfo(Path path, String flavor, String version, int major, boolean embedded) {
    this.path = path;
    this.flavor = flavor;
    this.version = version;
    this.major = major;
    this.embedded = embedded;
  }

  static BinaryInfo of(Path binary) {
    // Never resolve symlinks: Debian's valkey-server/redis-server are links to *-check-rdb and pick
    // their personality from argv[0].
    Path path = binary.toAbsolutePath();
    return CACHE.computeIfAbsent(path, BinaryInfo::probe);
  }

  private static BinaryInfo probe(Path path) {
    String output;
    try {
      Process process = new ProcessBuilder(path.toString(), "--version").redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(path + " --version did not finish within 10 s");
      }
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + path + " --version: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing " + path, e);
    }
    Matcher m = VERSION.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException(path + " does not look like a Valkey/Redis server; --version said: " + output);
    }
    String flavor = output.startsWith("Valkey") ? "valkey" : "redis";
    boolean embedded = path.equals(RedisServers.embeddedBinaryIfExtracted());
    return new BinaryInfo(path, flavor, m.group(1) + "." + m.group(2) + "." + m.group(3),
        Integer.parseInt(m.group(1)), embedded);
  }

  /** "valkey-server 8.0.1 (/usr/bin/valkey-server)" or with "-sentinel" for sentinels. */
  String label(boolean sentinel) {
    return flavor + (sentinel ? "-sentinel " : "-server ") + version
        + " (" + (embedded ? "embedded-redis " : "") + path + ")";
  }

  @Override
  public String toString() {
    return label(false);
  }
}
