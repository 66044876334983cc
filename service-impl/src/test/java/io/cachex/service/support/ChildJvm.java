package io.cachex.service.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running one main class from the test classpath, as a node of a deployment: its output
 * is kept line by line, and it can be stopped (SIGTERM) or killed outright (SIGKILL, no shutdown hook
 * runs: a crashed machine as far as everyone else can tell).
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final Thread pump;

  public ChildJvm(String name, Class<?> main, List<String> args) throws IOException {
    this(name, List.of("-cp", System.getProperty("java.class.path"), main.getName()), args);
  }

  /** {@code java -Xmx<heap> -jar jar args...}: a runnable jar exactly as its users start it. */
  public static ChildJvm ofJar(String name, Path jar, String heap, List<String> args) throws IOException {
    return new ChildJvm(name, List.of("-Xmx" + heap, "-jar", jar.toString()), args);
  }

  private ChildJvm(String name, List<String> what, List<String> args) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.addAll(what); // a later -Xmx wins
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("CACHEX_REDIS_URI");
    this.process = pb.start();
    this.pump = new Thread(this::pump, "child-output-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (output) {
          output.add(line);
          output.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  public List<String> output() {
    synchronized (output) {
      return new ArrayList<>(output);
    }
  }

  /** Lines that contain {@code text}. */
  public List<String> lines(String text) {
    return output().stream().filter(l -> l.contains(text)).toList();
  }

  /** Waits for the first line starting with {@code prefix}; fails with the output so far when it does not come. */
  public String awaitLine(String prefix, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (output) {
      while (true) {
        for (String line : output) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || !process.isAlive() && output.stream().noneMatch(l -> l.startsWith(prefix))) {
          throw new IllegalStateException("no line '" + prefix + "' within " + timeoutMs + " ms (alive=" + process.isAlive()
              + "); output: " + output);
        }
        output.wait(Math.min(left, 200));
      }
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to end and returns its exit code, or fails after {@code timeoutMs}. */
  public int awaitExit(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("still running after " + timeoutMs + " ms; output: " + output());
    }
    pump.join(5_000); // the last lines it printed, read to the end of its output
    return process.exitValue();
  }

  /** SIGTERM, as a service manager stops it. */
  public void terminate() {
    process.toHandle().destroy(); // Process.destroy() would also close our end of its output, losing its last lines
  }

  /** SIGKILL: the JVM ends at once, without shutdown hooks, closing nothing cleanly. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
