package io.cachex.service.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy the test controls: it forwards bytes to a real server until
 * {@link #stall()}, after which it accepts connections and reads nothing (a server that "hangs"),
 * until {@link #resume()}. Plain threads: it must keep working while the code under test does not.
 */
public final class StallingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean stalled;
  private volatile boolean closed;

  public StallingProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "stalling-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  public String uri() {
    return "redis://127.0.0.1:" + port();
  }

  public void stall() {
    stalled = true;
  }

  public void resume() {
    stalled = false;
  }

  /** Connections accepted so far (a client that replaces a stalled connection opens a new one). */
  public int connectionsAccepted() {
    return sockets.size() / 2;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        if (!closed) {
          sleep(10);
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        while (!closed) {
          while (stalled && !closed) {
            sleep(5);
          }
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          while (stalled && !closed) { // data read just before a stall is held back too
            sleep(5);
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // either side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "stalling-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    sockets.forEach(StallingProxy::closeQuietly);
  }
}
