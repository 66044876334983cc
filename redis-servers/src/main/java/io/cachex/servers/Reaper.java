package io.cachex.servers;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** JVM shutdown hook that kills every server process still running, so none is left orphaned, and removes their temp dirs. */
final class Reaper {

  private static final Set<LocalServerProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<Path> DIRS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Reaper::reapAll, "cachex-servers-reaper"));
  }

  private Reaper() {
  }

  static void register(LocalServerProcess process) {
    LIVE.add(process);
  }

  static void unregister(LocalServerProcess process) {
    LIVE.remove(process);
  }

  /** A topology's directory, deleted at JVM exit unless the topology was closed before. */
  static void registerDir(Path dir) {
    DIRS.add(dir);
  }

  static void unregisterDir(Path dir) {
    DIRS.remove(dir);
  }

  private static void reapAll() {
    for (LocalServerProcess process : LIVE) {
      process.killOnShutdown();
    }
    long deadline = System.nanoTime() + 2_000_000_000L;   // reap them, so no zombie is left for a lax init
    for (LocalServerProcess process : LIVE) {
      process.awaitExit(Math.max(0, deadline - System.nanoTime()));
      process.deleteOwnedDir();
    }
    DIRS.forEach(Dirs::deleteQuietly);
  }
}
