package io.cachex.servers;

import io.cachex.devredis.RedisBinaries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts real Valkey/Redis servers on free loopback ports for tests (binaries: {@link RedisBinaries}).
 *
 * <p>{@link #start()} picks a source in this order:
 * <ol>
 *   <li>{@code CACHEX_TEST_REDIS_MODE} (env) / {@code cachex.test.redis.mode} (system property) =
 *       {@code external|container|binary|embedded} forces a source, and fails if that source is unavailable;</li>
 *   <li>otherwise {@code CACHEX_TEST_REDIS_URI} / {@code cachex.test.redis.uri}: an external server that is
 *       neither started nor stopped here;</li>
 *   <li>a Testcontainers container ({@code valkey/valkey:8}, or {@code CACHEX_TEST_REDIS_IMAGE}) when Testcontainers
 *       is on the classpath and a Docker engine answers;</li>
 *   <li>a local binary: {@code CACHEX_REDIS_BINARY} / {@code cachex.redis.binary}, else {@code valkey-server}, else
 *       {@code redis-server} on PATH;</li>
 *   <li>the Redis 6.2 binary bundled in {@code com.github.codemonstur:embedded-redis}.</li>
 * </ol>
 * System properties win over environment variables. Topologies ({@link RedisClusterTopology},
 * {@link SentinelTopology}) always run local processes: {@link #topologyBinary()}.
 */
public final class RedisServers {

  private static final System.Logger LOG = System.getLogger(RedisServers.class.getName());

  /** Where a server comes from. */
  public enum Source {
    /** The order of preference described on {@link RedisServers}. */
    AUTO,
    /** The URI in {@code CACHEX_TEST_REDIS_URI}. */
    EXTERNAL,
    /** A Testcontainers container. */
    CONTAINER,
    /** A valkey-server/redis-server binary on PATH (or {@code CACHEX_REDIS_BINARY}). */
    BINARY,
    /** The binary bundled in the embedded-redis jar. */
    EMBEDDED
  }

  private static volatile Boolean dockerAvailable;

  private RedisServers() {
  }

  /** A standalone server with default options, from the preferred source. */
  public static RedisServer start() {
    return start(new ServerOptions());
  }

  public static RedisServer start(ServerOptions options) {
    return start(Source.AUTO, options);
  }

  /** A standalone server from the given source ({@link Source#AUTO}: the order of preference). */
  public static RedisServer start(Source source, ServerOptions options) {
    return start(source, options, Settings.fromEnvironment());
  }

  static RedisServer start(Source source, ServerOptions options, Settings settings) {
    Source chosen = source == Source.AUTO ? choose(settings, options) : source;
    switch (chosen) {
      case EXTERNAL: {
        String uri = settings.get("cachex.test.redis.uri", "CACHEX_TEST_REDIS_URI");
        if (uri == null) {
          throw new IllegalStateException("external server requested but CACHEX_TEST_REDIS_URI is not set");
        }
        return new ExternalServer(uri);
      }
      case CONTAINER: {
        if (!dockerAvailable()) {
          throw new IllegalStateException("container requested, but Testcontainers is not on the classpath"
              + " or no Docker engine answers");
        }
        String image = settings.get("cachex.test.redis.image", "CACHEX_TEST_REDIS_IMAGE");
        return ContainerServer.start(image != null ? image : ContainerServer.DEFAULT_IMAGE, options);
      }
      case BINARY:
        return startWithBinary(localBinary(settings).orElseThrow(() -> new IllegalStateException(
            "no valkey-server or redis-server on PATH (and CACHEX_REDIS_BINARY not set)")), options);
      case EMBEDDED:
        return startWithBinary(embeddedBinary(), options);
      default:
        throw new IllegalArgumentException("unknown source " + chosen);
    }
  }

  static Source choose(Settings settings, ServerOptions options) {
    String mode = settings.get("cachex.test.redis.mode", "CACHEX_TEST_REDIS_MODE");
    if (mode != null && !mode.isBlank()) {
      try {
        return Source.valueOf(mode.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("CACHEX_TEST_REDIS_MODE must be external, container, binary or embedded,"
            + " not " + mode, e);
      }
    }
    if (settings.get("cachex.test.redis.uri", "CACHEX_TEST_REDIS_URI") != null) {
      return Source.EXTERNAL;
    }
    if (options.tls() == null && dockerAvailable()) {
      return Source.CONTAINER;
    }
    if (localBinary(settings).isPresent()) {
      return Source.BINARY;
    }
    return Source.EMBEDDED;
  }

  /** Starts {@code binary} (any Valkey/Redis server binary) as a local process on a free port. */
  public static LocalServerProcess startWithBinary(Path binary, ServerOptions options) {
    return LocalServerProcess.startServer(binary, options, List.of());
  }

  /**
   * The binary topologies run: the embedded one when the mode is "embedded", else {@code CACHEX_REDIS_BINARY},
   * valkey-server, redis-server on PATH, else the embedded one.
   */
  public static Path topologyBinary() {
    Settings settings = Settings.fromEnvironment();
    String mode = settings.get("cachex.test.redis.mode", "CACHEX_TEST_REDIS_MODE");
    if (mode != null && mode.trim().equalsIgnoreCase("embedded")) {
      return embeddedBinary();
    }
    return localBinary(settings).orElseGet(RedisServers::embeddedBinary);
  }

  /** valkey-server and redis-server found on PATH (both when both exist; the same binary only once). */
  public static List<Path> localBinaries() {
    return RedisBinaries.onPath();
  }

  /** The first executable called {@code name} on PATH. */
  public static Optional<Path> findOnPath(String name) {
    return RedisBinaries.findOnPath(name);
  }

  /** The binary bundled in embedded-redis, extracted once per JVM. */
  public static Path embeddedBinary() {
    return RedisBinaries.embedded();
  }

  static Path embeddedBinaryIfExtracted() {
    return RedisBinaries.embeddedIfExtracted();
  }

  static String embeddedResource(String osName, String osArch) {
    return RedisBinaries.embeddedResource(osName, osArch);
  }

  private static Optional<Path> localBinary(Settings settings) {
    String explicit = settings.get("cachex.redis.binary", "CACHEX_REDIS_BINARY");
    if (explicit != null && !explicit.isBlank()) {
      Path path = explicit.contains("/") ? Path.of(explicit) : findOnPath(explicit).orElse(Path.of(explicit));
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException("CACHEX_REDIS_BINARY=" + explicit + " is not an executable file");
      }
      return Optional.of(path);
    }
    List<Path> binaries = localBinaries();
    return binaries.isEmpty() ? Optional.empty() : Optional.of(binaries.get(0));
  }

  /**
   * True when Testcontainers is on the classpath and finds a Docker engine. Reflection keeps this class
   * loadable without Testcontainers; everything is caught (no engine: false after ~170 ms). Cached per JVM.
   */
  static boolean dockerAvailable() {
    Boolean known = dockerAvailable;
    if (known != null) {
      return known;
    }
    boolean available;
    try {
      Class<?> factory = Class.forName("org.testcontainers.DockerClientFactory", true, RedisServers.class.getClassLoader());
      Object instance = factory.getMethod("instance").invoke(null);
      available = Boolean.TRUE.equals(factory.getMethod("isDockerAvailable").invoke(instance));
    } catch (Throwable e) {   // ClassNotFoundException, NoClassDefFoundError, anything Docker-related
      available = false;
    }
    dockerAvailable = available;
    return available;
  }

  /** Where configuration comes from: system properties first, then environment variables. Injectable for tests. */
  static final class Settings {
    private final Function<String, String> properties;
    private final Function<String, String> environment;

    Settings(Function<String, String> properties, Function<String, String> environment) {
      this.properties = properties;
      this.environment = environment;
    }

    static Settings fromEnvironment() {
      return new Settings(System::getProperty, System::getenv);
    }

    static Settings of(Map<String, String> values) {
      return new Settings(values::get, values::get);
    }

    String get(String property, String env) {
      String value = properties.apply(property);
      if (value == null || value.isBlank()) {
        value = environment.apply(env);
      }
      return value == null || value.isBlank() ? null : value;
    }
  }
}
