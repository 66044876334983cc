package io.cachex.servers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A server in a Testcontainers container. Only loaded after {@link RedisServers} checked that
 * Testcontainers is on the classpath and a Docker engine answers (testcontainers is an optional dependency).
 */
final class ContainerServer implements RedisServer {

  static final String DEFAULT_IMAGE = "valkey/valkey:8";
  private static final int CONTAINER_PORT = 6379;

  private final GenericContainer<?> container;
  private final String image;
  private final ServerOptions options;
  private volatile boolean closed;

  private ContainerServer(GenericContainer<?> container, String image, ServerOptions options) {
    this.container = container;
    this.image = image;
    this.options = options;
  }

  static ContainerServer start(String image, ServerOptions options) {
    if (options.tls() != null) {
      throw new UnsupportedOperationException("TLS is not supported for container servers yet; use a local binary");
    }
    List<String> command = new ArrayList<>(List.of(image.contains("valkey") ? "valkey-server" : "redis-server",
        "--save", "", "--appendonly", "no", "--protected-mode", "no"));
    command.addAll(options.securityArgs());
    command.addAll(options.extraArgs());
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
        .withExposedPorts(CONTAINER_PORT)
        .withCommand(command.toArray(new String[0]))
        .withStartupTimeout(Duration.ofSeconds(60));
    container.start();
    ContainerServer server = new ContainerServer(container, image, options);
    server.awaitPong(options.startTimeout());
    return server;
  }

  private void awaitPong(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try (RespSocket socket = connect()) {
        if ("PONG".equals(socket.callString("PING"))) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      LocalServerProcess.sleep(50);
    }
    close();
    throw new IllegalStateException("container " + image + " did not answer PING within " + timeout
        + "; logs:\n" + container.getLogs(), last);
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return container.getMappedPort(CONTAINER_PORT);
  }

  @Override
  public String uri() {
    String password = options.clientPassword();
    String user = options.clientUser();
    String auth = password == null ? "" : (user == null ? "" : Uris.encode(user)) + ":" + Uris.encode(password) + "@";
    return "redis://" + auth + host() + ":" + port();
  }

  @Override
  public String description() {
    return "container " + image + " (" + container.getContainerId().substring(0, 12) + ") on " + host() + ":" + port();
  }

  @Override
  public String flavor() {
    return "container";
  }

  @Override
  public RespSocket connect() {
    RespSocket socket = RespSocket.connect(host(), port());
    try {
      return socket.auth(options.clientUser(), options.clientPassword());
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      container.stop();
    }
  }

  @Override
  public String toString() {
    return "container " + image;
  }
}
