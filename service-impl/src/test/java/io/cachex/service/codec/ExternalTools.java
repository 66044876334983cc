package io.cachex.service.codec;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent tools the interop tests compare against. In CI (CI=true, which installs them)
 * a missing tool fails the test; on a developer machine with only Java and Maven it skips it, saying
 * how to install it, so that `mvn verify` still passes there.
 */
final class ExternalTools {

  private ExternalTools() {
  }

  /** The executable {@code name} on PATH, or a test failure that says how to install it. */
  static String require(String name, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    String why = "`" + name + "` is not on PATH (" + path + "): apt-get install " + debianPackage
        + " (CI installs it; the django-cachex interop tests need it)";
    if (!"true".equals(System.getenv("CI"))) {
      org.junit.jupiter.api.Assumptions.abort(why);
    }
    return fail(why);
  }

  /** Runs {@code command} with {@code stdin}, returns its stdout; fails on a non-zero exit or after 120 s. */
  static byte[] run(byte[] stdin, String... command) throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("cachex-codec-tool", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      Thread feeder = new Thread(() -> {
        try (OutputStream in = process.getOutputStream()) {
          if (stdin != null) {
            in.write(stdin);
          }
        } catch (IOException ignored) {
          // the tool exited early; its exit code and stderr tell why
        }
      });
      feeder.start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("timed out: " + Arrays.toString(command));
      }
      feeder.join();
      if (process.exitValue() != 0) {
        fail(Arrays.toString(command) + " exited " + process.exitValue() + ": "
            + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return out;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
