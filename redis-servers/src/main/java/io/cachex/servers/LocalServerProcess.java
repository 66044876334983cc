package io.cachex.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.net.SocketFactory;

/**
 * A Valkey/Redis server (or sentinel) running as a foreground child process of this JVM, on a loopback
 * port. Output goes to {@link #logFile()} in the process's own temp directory. Besides {@link #close()}
 * it supports the faults tests need: {@link #kill()} (SIGKILL), {@link #stop()} (SIGTERM),
 * {@link #restart()} (same port, same directory), {@link #pause()}/{@link #resume()} (SIGSTOP/SIGCONT).
 */
public final class LocalServerProcess implements RedisServer {

  private static final System.Logger LOG = System.getLogger(LocalServerProcess.class.getName());
  private static final Duration STOP_GRACE = Duration.ofSeconds(2);
  private static final int PORT_ATTEMPTS = 5;

  /** Builds the arguments that follow the binary, for a given port. */
  @FunctionalInterface
  interface CommandLine {
    List<String> args(int port) throws IOException;
  }

  private final BinaryInfo binary;
  private final Path dir;
  private final boolean ownsDir;
  private final boolean sentinel;
  private final ServerOptions options;
  private final CommandLine commandLine;
  private final Path logFile;
  private volatile SocketFactory socketFactory;
  private volatile int port;
  private volatile Process process;
  private volatile long logOffset;
  private volatile boolean paused;
  private volatile boolean closed;

  private LocalServerProcess(BinaryInfo binary, Path dir, boolean ownsDir, boolean sentinel,
                             ServerOptions options, CommandLine commandLine) {
    this.binary = binary;
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.sentinel = sentinel;
    this.options = options;
    this.commandLine = commandLine;
    this.logFile = dir.resolve(sentinel ? "sentinel.log" : "server.log");
  }

  /** Starts a standalone server from {@code binary} in a new temp dir. */
  static LocalServerProcess startServer(Path binary, ServerOptions options, List<String> moreArgs) {
    return startServer(BinaryInfo.of(binary), Dirs.create("cachex-redis-"), true, options, moreArgs);
  }

  /** Starts a server in {@code dir} on a free port. */
  static LocalServerProcess startServer(BinaryInfo binary, Path dir, boolean ownsDir, ServerOptions options,
                                        List<String> moreArgs) {
    return startServer(binary, dir, ownsDir, options, moreArgs, () -> Ports.free(false));
  }

  /** As above with the ports to try coming from {@code ports} (tests hand out a taken one first). */
  static LocalServerProcess startServer(BinaryInfo binary, Path dir, boolean ownsDir, ServerOptions options,
                                        List<String> moreArgs, IntSupplier ports) {
    CommandLine commandLine = port -> serverArgs(binary, dir, options, moreArgs, port);
    LocalServerProcess server = new LocalServerProcess(binary, dir, ownsDir, false, options, commandLine);
    server.startOnFreePort(ports);
    return server;
  }

  /**
   * Starts a cluster node (its port + 10000, the cluster bus, free too) whose {@code nodes.conf} is repaired before
   * every launch (see {@link NodesConf}), so a {@link #restart()} after a failover does not trip over a known
   * Valkey 8.0 shard-id bug.
   */
  static LocalServerProcess startClusterNode(BinaryInfo binary, Path dir, Path nodesConf, ServerOptions options,
                                             List<String> clusterArgs) {
    CommandLine commandLine = port -> {
      NodesConf.alignReplicaShardIds(nodesConf);
      return serverArgs(binary, dir, options, clusterArgs, port);
    };
    LocalServerProcess server = new LocalServerProcess(binary, dir, false, false, options, commandLine);
    server.startOnFreePort(() -> Ports.free(true));
    return server;
  }

  /**
   * Starts a sentinel; {@code commandLine} returns the arguments for a port (config file + --sentinel) and must
   * keep the config the sentinel rewrote when called again for the same port (restart).
   */
  static LocalServerProcess startSentinel(BinaryInfo binary, Path dir, CommandLine commandLine, IntSupplier ports) {
    LocalServerProcess sentinel = new LocalServerProcess(binary, dir, false, true, new ServerOptions(), commandLine);
    sentinel.startOnFreePort(ports);
    return sentinel;
  }

  static List<String> serverArgs(BinaryInfo binary, Path dir, ServerOptions options, List<String> moreArgs, int port) {
    List<String> args = new ArrayList<>();
    if (options.tls() != null) {
      args.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
    } else {
      args.addAll(List.of("--port", Integer.toString(port)));
    }
    args.addAll(List.of("--bind", Ports.LOOPBACK, "--daemonize", "no", "--save", "", "--appendonly", "no",
        "--dir", dir.toString(),
        // a primary otherwise waits 5 s for more replicas before a diskless full sync: slow replicas, slow failover tests
        "--repl-diskless-sync-delay", "0"));
    if (binary.major >= 7) {
      args.addAll(List.of("--enable-debug-command", "local"));   // DEBUG SLEEP etc. for fault tests
    }
    args.addAll(moreArgs);
    args.addAll(options.securityArgs());
    args.addAll(options.extraArgs());
    return args;
  }

  private void startOnFreePort(IntSupplier ports) {
    Reaper.register(this);
    try {
      if (options.port() != 0) {
        launch(options.port());
        return;
      }
      for (int attempt = 1; ; attempt++) {
        try {
          launch(ports.getAsInt());
          return;
        } catch (StartFailure e) {
          if (!e.addressInUse || attempt >= PORT_ATTEMPTS) {
            throw e;
          }
          LOG.log(System.Logger.Level.DEBUG, "port {0} was taken, retrying on another port", port);
        }
      }
    } catch (RuntimeException | Error e) {
      Reaper.unregister(this);
      if (ownsDir) {
        Dirs.deleteQuietly(dir);
      }
      throw e;
    }
  }

  private synchronized void launch(int port) {
    this.port = port;
    List<String> command = new ArrayList<>();
    command.add(binary.path.toString());
    try {
      command.addAll(commandLine.args(port));
      logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
      Files.writeString(logFile, "---- " + Instant.now() + " starting: " + redact(command) + System.lineSeparator(),
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      Process started = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(logFile.toFile()))
          .start();
      started.getOutputStream().close();
      process = started;
      paused = false;
    } catch (IOException e) {
      throw new StartFailure("cannot start " + redact(command) + ": " + e.getMessage(), false, e);
    }
    try {
      awaitReady(process, System.nanoTime() + options.startTimeout().toNanos());
    } catch (RuntimeException | Error e) {
      kill(process);   // never leave a half-started process behind
      throw e;
    }
    LOG.log(System.Logger.Level.DEBUG, "started {0} (pid {1})", description(), process.pid());
  }

  private void awaitReady(Process started, long deadline) {
    Exception lastProblem = null;
    while (true) {
      if (!started.isAlive()) {
        String output = logSinceStart();
        throw new StartFailure(binary.label(sentinel) + " exited with code " + exitCode(started)
            + " before answering PING on port " + port + "; output (" + logFile + "):\n" + output,
            output.contains("Address already in use"), null);
      }
      try (RespSocket socket = connect(Duration.ofMillis(250))) {   // short: a squatter on the port never answers
        if ("PONG".equals(socket.callString("PING"))
            && socket.callString("INFO", "server").contains("process_id:" + started.pid())) {
          return;   // it is really our process that answers, not some other server on a recycled port
        }
      } catch (UncheckedIOException | RespSocket.ServerError e) {
        lastProblem = e;   // not listening yet, LOADING, ...
      }
      if (System.nanoTime() > deadline) {
        throw new StartFailure(binary.label(sentinel) + " did not answer PING on port " + port + " within "
            + options.startTimeout().toMillis() + " ms (last problem: " + lastProblem + "); output (" + logFile
            + "):\n" + logSinceStart(), false, null);
      }
      sleep(20);
    }
  }

  // ---------------------------------------------------------------- RedisServer

  @Override
  public String host() {
    return Ports.LOOPBACK;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String uri() {
    StringBuilder uri = new StringBuilder(options.tls() != null ? "rediss://" : "redis://");
    String password = options.clientPassword();
    if (password != null) {
      String user = options.clientUser();
      uri.append(user == null ? "" : Uris.encode(user)).append(':').append(Uris.encode(password)).append('@');
    }
    return uri.append(host()).append(':').append(port).toString();
  }

  @Override
  public String description() {
    return binary.label(sentinel) + " on " + host() + ":" + port;
  }

  /** "valkey" or "redis", from {@code --version}. */
  @Override
  public String flavor() {
    return binary.flavor;
  }

  @Override
  public RespSocket connect() {
    return connect(RespSocket.DEFAULT_TIMEOUT);
  }

  /** A new admin connection with the given connect/read timeout, authenticated as clients of this server are. */
  public RespSocket connect(Duration timeout) {
    RespSocket socket = RespSocket.connect(host(), port, timeout, socketFactory());
    try {
      return socket.auth(options.clientUser(), options.clientPassword());
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------- process control

  /** Server version, e.g. "8.0.1". */
  public String version() {
    return binary.version;
  }

  /** The binary this process runs. */
  public Path binary() {
    return binary.path;
  }

  /** The process's working and data directory (holds the log, nodes.conf / sentinel.conf). */
  public Path dir() {
    return dir;
  }

  public Path logFile() {
    return logFile;
  }

  /** Current log contents (for assertion messages). */
  public String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  public boolean isPaused() {
    return paused && isRunning();
  }

  /** Graceful stop: SIGTERM, SIGKILL after a short grace. The port and directory are kept for {@link #restart()}. */
  public synchronized void stop() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    if (paused) {
      resume();
    }
    p.destroy();
    try {
      if (p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill(p);
  }

  /** Crash: SIGKILL, no shutdown work at all. Waits until the process is gone. */
  public synchronized void kill() {
    Process p = process;
    if (p != null) {
      kill(p);
    }
    paused = false;
  }

  /** Stops the process if it runs, then starts it again on the same port and directory, and waits for PING. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("closed: " + description());
    }
    stop();
    launch(port);
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing (a hung server). Linux/macOS only. */
  public synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  /** Stops the process (see {@link #stop()}) and deletes its temp directory if it owns one. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stop();
    }
    Reaper.unregister(this);
    deleteOwnedDir();
  }

  void deleteOwnedDir() {
    if (ownsDir) {
      Dirs.deleteQuietly(dir);
    }
  }

  /** Sends SIGTERM without waiting, so a topology can stop all its processes in parallel. */
  void terminateAsync() {
    Process p = process;
    if (p != null && p.isAlive()) {
      if (paused) {
        resume();
      }
      p.destroy();
    }
  }

  void killOnShutdown() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
    }
  }

  void awaitExit(long nanos) {
    Process p = process;
    if (p != null) {
      try {
        p.waitFor(nanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return description();
  }

  // ---------------------------------------------------------------- helpers

  private SocketFactory socketFactory() {
    if (options.tls() == null) {
      return null;
    }
    SocketFactory factory = socketFactory;
    if (factory == null) {
      factory = options.tls().socketFactory();
      socketFactory = factory;
    }
    return factory;
  }

  private void signal(String signal) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("not running: " + description());
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).redirectErrorStream(true).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String logSinceStart() {
    try {
      byte[] all = Files.readAllBytes(logFile);
      int from = (int) Math.min(logOffset, all.length);
      String text = new String(all, from, all.length - from, StandardCharsets.UTF_8);
      String[] lines = text.split("\\R");
      int first = Math.max(0, lines.length - 60);
      return String.join(System.lineSeparator(), java.util.Arrays.copyOfRange(lines, first, lines.length));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  private static String exitCode(Process p) {
    try {
      return Integer.toString(p.exitValue());
    } catch (IllegalThreadStateException e) {
      return "?";
    }
  }

  private static String redact(List<String> command) {
    List<String> shown = new ArrayList<>(command.size());
    for (int i = 0; i < command.size(); i++) {
      String arg = command.get(i);
      String previous = i > 0 ? command.get(i - 1) : "";
      boolean secret = previous.equals("--requirepass") || previous.equals("--masterauth") || arg.startsWith(">");
      shown.add(secret ? "***" : arg.isEmpty() ? "\"\"" : arg);
    }
    return String.join(" ", shown);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Start failed; {@code addressInUse} means "try another port". */
  static final class StartFailure extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    final boolean addressInUse;

    StartFailure(String message, boolean addressInUse, Throwable cause) {
      super(message, cause);
      this.addressInUse = addressInUse;
    }
  }
}
