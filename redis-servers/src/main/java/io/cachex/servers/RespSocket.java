package io.cachex.servers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;

/**
 * A deliberately tiny, blocking RESP client for administration and tests: it sends a command as a
 * RESP array of bulk strings and reads one reply. Replies map to Java as
 * <ul>
 *   <li>simple string → {@code String}, bulk string → {@code String} (UTF-8) or {@code null},</li>
 *   <li>integer → {@code Long}, array/set/push → {@code List<Object>} (null array → {@code null}),</li>
 *   <li>RESP3 map → {@code Map<Object,Object>}, double → {@code Double}, boolean → {@code Boolean},</li>
 *   <li>error → thrown as {@link ServerError} (inside an array it is kept as an element).</li>
 * </ul>
 * Not thread-safe. I/O failures (including read timeouts) surface as {@link UncheckedIOException}.
 */
public final class RespSocket implements AutoCloseable {

  /** Default connect and read timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  public static RespSocket connect(String host, int port) {
    return connect(host, port, DEFAULT_TIMEOUT, null);
  }

  /**
   * Connects with the given connect/read timeout; {@code factory} may be an
   * {@link javax.net.ssl.SSLSocketFactory} for TLS, or null for a plain socket.
   */
  public static RespSocket connect(String host, int port, Duration timeout, SocketFactory factory) {
    Socket socket = null;
    try {
      socket = factory == null ? new Socket() : factory.createSocket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      if (socket instanceof javax.net.ssl.SSLSocket) {
        ((javax.net.ssl.SSLSocket) socket).startHandshake();
      }
      return new RespSocket(socket);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Sends AUTH when a password is given (with the user when one is given); returns this. */
  public RespSocket auth(String user, String password) {
    if (password != null) {
      if (user != null) {
        call("AUTH", user, password);
      } else {
        call("AUTH", password);
      }
    }
    return this;
  }

  /** Sends one command and reads its reply. */
  public Object call(Object... args) {
    send(args);
    return read();
  }

  /** {@link #call} for commands whose reply is a string (simple or bulk). */
  public String callString(Object... args) {
    Object reply = call(args);
    return reply == null ? null : reply.toString();
  }

  /** Writes and flushes one command without reading the reply (for pipelining). */
  public RespSocket send(Object... args) {
    try {
      out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (Object arg : args) {
        byte[] bytes = arg instanceof byte[] ? (byte[]) arg : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
        out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write('\r');
        out.write('\n');
      }
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one reply; an error reply is thrown as {@link ServerError}. */
  public Object read() {
    Object reply = readReply();
    if (reply instanceof ServerError) {
      ServerError error = (ServerError) reply;
      throw new ServerError(error.getMessage());   // fresh stack trace pointing at the caller
    }
    return reply;
  }

  public void timeout(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private Object readReply() {
    try {
      int type = in.read();
      if (type < 0) {
        throw new EOFException("connection closed by server");
      }
      String line = readLine();
      switch (type) {
        case '+':
          return line;
        case '-':
        case '!':
          return new ServerError(type == '!' ? new String(readBulk(Integer.parseInt(line)), StandardCharsets.UTF_8) : line);
        case ':':
          return Long.parseLong(line);
        case '$':
        case '=': {
          int length = Integer.parseInt(line);
          return length < 0 ? null : new String(readBulk(length), StandardCharsets.UTF_8);
        }
        case '*':
        case '~':
        case '>': {
          int count = Integer.parseInt(line);
          if (count < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            items.add(readReply());
          }
          return items;
        }
        case '%': {
          int count = Integer.parseInt(line);
          Map<Object, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < count; i++) {
            map.put(readReply(), readReply());
          }
          return map;
        }
        case '_':
          return null;
        case ',':
          return Double.parseDouble(line);
        case '#':
          return "t".equals(line);
        case '(':
          return new java.math.BigInteger(line);
        default:
          throw new IOException("unexpected RESP type byte '" + (char) type + "' followed by " + line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] readBulk(int length) throws IOException {
    byte[] data = in.readNBytes(length);
    if (data.length < length || in.read() != '\r' || in.read() != '\n') {
      throw new EOFException("truncated bulk string");
    }
    return data;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(32);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed by server");
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IOException("malformed RESP line");
        }
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing useful to do
      }
    }
  }

  /** An error reply ("-ERR ...", "-MOVED 3999 127.0.0.1:6381", "-NOAUTH ..."). */
  public static final class ServerError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServerError(String message) {
      super(message);
    }

    /** The first word of the error, e.g. "ERR", "MOVED", "NOAUTH", "LOADING". */
    public String code() {
      String message = getMessage();
      int space = message.indexOf(' ');
      return space < 0 ? message : message.substring(0, space);
    }
  }
}
