package io.cachex.server.launcher;

import io.cachex.server.CachexMain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The launcher as a user runs it: its main class in a child JVM (this test's class path), with arguments and
 * environment, its stdout and stderr read line by line. Bounds are generous: they only keep a broken launcher
 * from hanging the build.
 */
final class Launched implements AutoCloseable {
  static final long GENEROUS_MS = 60_000;

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private Launched(Process process) {
    this.process = process;
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "launcher-output");
    reader.setDaemon(true);
    reader.start();
  }

  static Launched start(Map<String, String> env, String... args) throws IOException {
    return start(List.of(), env, args);
  }

  /** With JVM options (the Add-Opens that the runnable jar's manifest carries, for a clustered node). */
  static Launched start(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CachexMain.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("CACHEX_"));
    pb.environment().putAll(env);
    return new Launched(pb.start());
  }

  /** Waits for a line that matches; fails, with the output so far, if the process ends first or the bound passes. */
  String awaitLine(Predicate<String> matches) throws InterruptedException {
    long deadline = System.currentTimeMillis() + GENEROUS_MS;
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (matches.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || (!process.isAlive() && seen == lines.size())) {
          if (!process.isAlive()) {
            lines.wait(200); // the last lines may still be on their way
            if (seen < lines.size()) {
              continue;
            }
          }
          fail("no such line; output: " + lines);
        }
        lines.wait(Math.min(left, 200));
      }
    }
  }

  /** The exit code, once the process has ended (fails after the bound). */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(GENEROUS_MS, TimeUnit.MILLISECONDS)) {
      fail("still running; output: " + output());
    }
    reader.join(GENEROUS_MS); // it ends at the end of the output
    return process.exitValue();
  }

  /** SIGTERM, as a container platform stops a process (Process.destroy() would also close its output here). */
  void sigterm() {
    process.toHandle().destroy();
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
