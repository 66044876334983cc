package io.cachex.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A few INFO/FLUSHALL calls on a plain socket, apart from every client under test: server version and
 * the total commands processed (to show how many server commands one operation costs).
 */
public final class ServerInfo implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public ServerInfo(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Sends one inline command and returns the reply as text. */
  public synchronized String call(String inline) throws IOException {
    out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    String line = readLine();
    char type = line.charAt(0);
    if (type == '$') {
      int len = Integer.parseInt(line.substring(1));
      if (len < 0) {
        return null;
      }
      byte[] buf = in.readNBytes(len + 2);
      return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
    if (type == '-') {
      throw new IOException(line.substring(1));
    }
    return line.substring(1);
  }

  public String info(String section, String field) throws IOException {
    for (String l : call("INFO " + section).split("\r\n")) {
      if (l.startsWith(field + ":")) {
        return l.substring(field.length() + 1).trim();
      }
    }
    return "?";
  }

  /** Commands processed so far, not counting this INFO call itself. */
  public long commandsProcessed() throws IOException {
    return Long.parseLong(info("stats", "total_commands_processed"));
  }

  /** CPU time (user + system) the server process has used so far, in µs (INFO cpu); -1 when unknown. */
  public long cpuMicros() {
    try {
      double user = 0;
      double sys = 0;
      for (String l : call("INFO cpu").split("\r\n")) {
        if (l.startsWith("used_cpu_user:")) {
          user = Double.parseDouble(l.substring("used_cpu_user:".length()).trim());
        } else if (l.startsWith("used_cpu_sys:")) {
          sys = Double.parseDouble(l.substring("used_cpu_sys:".length()).trim());
        }
      }
      return Math.round((user + sys) * 1e6);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read();
        break;
      }
      b.write(c);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
