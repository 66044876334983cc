package io.cachex.servers;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;

/** A server given by URI (e.g. {@code CACHEX_TEST_REDIS_URI}); we neither start nor stop it. */
final class ExternalServer implements RedisServer {

  private final String uri;
  private final URI parsed;

  ExternalServer(String uri) {
    this.uri = uri;
    this.parsed = URI.create(uri);
    if (parsed.getHost() == null || !(parsed.getScheme().equals("redis") || parsed.getScheme().equals("rediss"))) {
      throw new IllegalArgumentException("expected redis://[user:password@]host[:port] or rediss://..., got "
          + describe(parsed));
    }
  }

  @Override
  public String host() {
    return parsed.getHost();
  }

  @Override
  public int port() {
    return parsed.getPort() < 0 ? 6379 : parsed.getPort();
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public String description() {
    return "external server " + describe(parsed);
  }

  @Override
  public String flavor() {
    return "external";
  }

  @Override
  public RespSocket connect() {
    boolean tls = "rediss".equals(parsed.getScheme());
    RespSocket socket = RespSocket.connect(host(), port(), Duration.ofSeconds(5),
        tls ? SSLSocketFactory.getDefault() : null);
    String[] credentials = Uris.credentials(parsed);
    try {
      return socket.auth(credentials[0], credentials[1]);
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Not ours: nothing to stop. */
  @Override
  public void close() {
  }

  @Override
  public String toString() {
    return description();
  }

  private static String describe(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawUserInfo() != null ? " (with credentials)" : "");
  }
}
