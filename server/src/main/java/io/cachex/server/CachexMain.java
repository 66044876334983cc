package io.cachex.server;

import io.cachex.api.config.ConfigException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher: {@code java -jar cachex-server.jar [--cluster] [config.json]}. Prints {@code cachex ready: ...}
 * once the service serves; on any startup failure prints {@code cachex failed to start: } and one sentence, and
 * exits with 1; on SIGTERM or SIGINT stops gracefully and exits with 0.
 *
 * <p>Why not Vert.x's {@code VertxApplication} (vertx-launcher-application): it deploys one verticle from
 * {@code -conf}, which it silently replaces by an empty config when the file is missing or not JSON; it logs
 * startup failures with their stack traces and exits with its own codes (11, 15); its options
 * ({@code -worker}, {@code -instances}, {@code -options}, ...) would be a second configuration surface beside
 * the checked one; and the JVM exits with 143 on SIGTERM. This launcher keeps what it does well (blocking only
 * the main thread, never an event loop, and exiting from there) and is small enough to read in one go:
 * {@link LaunchConfig} (file and environment), {@link ServerConfig} (checks every section), {@link CachexServer}
 * (starts and stops the node).
 */
public final class CachexMain {
  static final String USAGE = String.join("\n",
      "usage: java -jar cachex-server.jar [--cluster] [config.json]",
      "",
      "Runs the vertx-cachex service: the cache service on the event bus, plus the bridges, monitoring and",
      "clustering the configuration asks for (docs/CONFIGURATION.md lists every option).",
      "",
      "  config.json   the configuration file; environment variables override it (CACHEX_CONFIG,",
      "                CACHEX_REDIS_URI, CACHEX_REDIS_PASSWORD, ...). Without Redis endpoints a",
      "                development Valkey/Redis is started on a free loopback port.",
      "  --cluster     join a clustered event bus (Hazelcast; the 'cluster' section says how)",
      "  --hash-password  read a password from the terminal (or one line of standard input) and print",
      "                its hash for admin.users (PBKDF2-HMAC-SHA256); starts nothing",
      "  -h, --help    print this help",
      "",
      "Prints 'cachex ready: ...' once it serves. Exits with 1 when it cannot start, 0 after SIGTERM or SIGINT.");

  private CachexMain() {
  }

  public static void main(String[] args) {
    routeJavaUtilLoggingToSlf4j();
    Integer exit = run(args, System.getenv(), System.out, System.err);
    if (exit != null) {
      System.exit(exit);
    }
  }

  /** Runs the launcher; returns an exit code, or null when the node is up (or stopping on a signal). */
  static Integer run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Path file = null;
    boolean cluster = false;
    for (String arg : args) {
      if ("-h".equals(arg) || "--help".equals(arg)) {
        out.println(USAGE);
        return 0;
      } else if ("--cluster".equals(arg)) {
        cluster = true;
      } else if ("--hash-password".equals(arg)) {
        return hashPassword(out, err);
      } else if (arg.startsWith("-")) {
        err.println("cachex failed to start: unknown command-line option '" + arg + "' (see --help)");
        return 1;
      } else if (file != null) {
        err.println("cachex failed to start: one config file only, got '" + file + "' and '" + arg + "' (see --help)");
        return 1;
      } else {
        file = Path.of(arg);
      }
    }
    CachexServer server = new CachexServer(out);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (!server.stopping()) {
        out.println("cachex: stopping");
        server.stop();
        out.println("cachex stopped");
      }
    }, "cachex-shutdown"));
    stopOnSignals();
    try {
      out.println(server.start(ServerConfig.read(LaunchConfig.load(file, env), cluster)));
      return null;
    } catch (ConfigException | StartupException e) {
      return failed(server, e.getMessage(), err);
    } catch (RuntimeException e) {
      return failed(server, CachexServer.firstLine(e), err);
    }
  }

  /** Prints the admin.users hash of a password read without echo (or from standard input); never the password. */
  private static int hashPassword(PrintStream out, PrintStream err) {
    char[] password;
    java.io.Console console = System.console();
    if (console != null) {
      password = console.readPassword("password: ");
    } else {
      try {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
        password = line == null ? null : line.toCharArray();
      } catch (java.io.IOException e) {
        password = null;
      }
    }
    if (password == null || password.length == 0) {
      err.println("cachex: no password given");
      return 1;
    }
    out.println(io.cachex.server.admin.Passwords.hash(password));
    java.util.Arrays.fill(password, ' ');
    return 0;
  }

  private static Integer failed(CachexServer server, String sentence, PrintStream err) {
    if (server.stopping()) {
      return null; // a signal is stopping the node: its exit code stands
    }
    err.println("cachex failed to start: " + sentence);
    server.stop();
    return 1;
  }

  /**
   * SIGTERM (a container platform) and SIGINT (Ctrl-C) exit with 0 through the shutdown hook, which stops the
   * node gracefully; without this the JVM would exit with 143 or 130.
   */
  private static void stopOnSignals() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> new Thread(() -> System.exit(0), "cachex-signal").start());
      } catch (IllegalArgumentException unsupported) {
        // not on this platform: the JVM's default (shutdown hooks, then exit) still stops the node
      }
    }
  }

  /** Hazelcast and the JDK's System.Logger write to java.util.logging: hand that to the one backend. */
  private static void routeJavaUtilLoggingToSlf4j() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }
}
