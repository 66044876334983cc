package io.cachex.devredis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a Valkey/Redis server binary comes from on a development machine: {@code valkey-server} or
 * {@code redis-server} on PATH, else the Redis 6.2 binary bundled in {@code com.github.codemonstur:embedded-redis}
 * when that jar is on the class path.
 */
public final class RedisBinaries {
  private static volatile Path embedded;

  private RedisBinaries() {
  }

  /** valkey-server and redis-server found on PATH (both when both exist; the same binary only once). */
  public static List<Path> onPath() {
    List<Path> found = new ArrayList<>();
    Set<Path> real = new HashSet<>();
    for (String name : List.of("valkey-server", "redis-server")) {
      findOnPath(name).ifPresent(path -> {
        if (real.add(realPath(path))) {
          found.add(path);
        }
      });
    }
    return found;
  }

  /** The first executable called {@code name} on PATH (not resolved: argv[0] matters to these binaries). */
  public static Optional<Path> findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether the embedded-redis jar, with a binary for this OS/architecture, is on the class path. */
  public static boolean embeddedAvailable() {
    try {
      return RedisBinaries.class.getClassLoader()
          .getResource(embeddedResource(System.getProperty("os.name"), System.getProperty("os.arch"))) != null;
    } catch (IllegalStateException unsupportedPlatform) {
      return false;
    }
  }

  /**
   * Extracts the embedded-redis server binary for this OS/architecture from its jar to a temp file
   * (executable, deleted on exit). Extracted once per JVM.
   */
  public static Path embedded() {
    Path binary = embedded;
    if (binary != null) {
      return binary;
    }
    synchronized (RedisBinaries.class) {
      if (embedded == null) {
        embedded = extractEmbedded();
      }
      return embedded;
    }
  }

  /** The extracted embedded binary, or null when it has not been extracted in this JVM. */
  public static Path embeddedIfExtracted() {
    return embedded;
  }

  /** Resource name of the embedded-redis binary for an OS/arch ("Linux"/"amd64" → redis-server-6.2.6-v5-linux-amd64). */
  public static String embeddedResource(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    boolean x86 = arch.equals("x86") || arch.equals("i386") || arch.equals("i686");
    if (os.contains("linux")) {
      if (x64) {
        return "redis-server-6.2.6-v5-linux-amd64";
      }
      if (arm64) {
        return "redis-server-6.2.7-linux-arm64";
      }
      if (x86) {
        return "redis-server-6.2.7-linux-386";
      }
    } else if (os.contains("mac") || os.contains("darwin")) {
      if (x64) {
        return "redis-server-6.2.6-v5-darwin-amd64";
      }
      if (arm64) {
        return "redis-server-6.2.6-v5-darwin-arm64";
      }
    } else if (os.contains("windows") && x64) {
      return "redis-server-5.0.14.1-windows-amd64.exe";
    }
    throw new IllegalStateException("embedded-redis has no server binary for " + osName + "/" + osArch);
  }

  private static Path extractEmbedded() {
    String resource = embeddedResource(System.getProperty("os.name"), System.getProperty("os.arch"));
    try (InputStream in = RedisBinaries.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " not found: is com.github.codemonstur:embedded-redis"
            + " on the class path?");
      }
      Path dir = Files.createTempDirectory("cachex-embedded-redis-");
      dir.toFile().deleteOnExit();   // deleteOnExit runs in reverse order: the binary first, then its directory
      Path binary = dir.resolve(resource);
      Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
      if (!binary.toFile().setExecutable(true, true)) {
        throw new IllegalStateException("cannot make " + binary + " executable");
      }
      binary.toFile().deleteOnExit();
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource, e);
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath();
    }
  }
}
