package io.cachex.devredis;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevRedisTest {

  @Test
  void startsOnLoopbackAndStopsOnClose() throws Exception {
    int port;
    try (DevRedis redis = DevRedis.start()) {
      port = redis.port();
      assertEquals("redis://127.0.0.1:" + port, redis.uri());
      try (Socket socket = new Socket("127.0.0.1", port)) {
        assertTrue(socket.isConnected());
      }
    }
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "stopped by close()");
  }

  @Test
  void theBundledBinaryRuns() {
    try (DevRedis redis = DevRedis.start(RedisBinaries.embedded())) {
      assertTrue(redis.description().contains("embedded-redis"), redis.description());
    }
  }
}
