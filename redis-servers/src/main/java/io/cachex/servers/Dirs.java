package io.cachex.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temp directories for server processes (data dir, logs, configs). */
final class Dirs {

  /** Set {@code -Dcachex.servers.keep-dirs=true} to keep logs and configs after close, for debugging. */
  static final boolean KEEP = Boolean.getBoolean("cachex.servers.keep-dirs");

  private Dirs() {
  }

  static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory", e);
    }
  }

  static void deleteQuietly(Path dir) {
    if (KEEP || dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: it is a temp dir
    }
  }
}
