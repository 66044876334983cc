package io.cachex.service.redis;

import io.cachex.api.CachexError;
import io.vertx.redis.client.impl.types.ErrorType;
import io.vertx.serviceproxy.ServiceException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures that look like server replies but say the transport failed are UNAVAILABLE, never INTERNAL. */
class RedisFailuresTest {

  @Test
  void repliesFailedByAClosedConnectionAreUnavailable() {
    // vertx-redis-client fails the replies still awaited on a closed connection with this error "reply"
    ServiceException e = RedisFailures.translate("get", "k", ErrorType.create("CONNECTION_CLOSED"));
    assertEquals(CachexError.UNAVAILABLE, CachexError.of(e));
    assertTrue(e.getMessage().startsWith("UNAVAILABLE get(k)"), e.getMessage());
  }

  @Test
  void unknownServerErrorsStayInternalAndKnownOnesKeepTheirCodes() {
    assertEquals(CachexError.INTERNAL, CachexError.of(RedisFailures.translate("get", "k", ErrorType.create("ERR something new"))));
    assertEquals(CachexError.WRONG_TYPE, CachexError.of(RedisFailures.translate("get", "k",
        ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value"))));
    assertEquals(CachexError.UNAVAILABLE, CachexError.of(RedisFailures.translate("set", "k",
        ErrorType.create("READONLY You can't write against a read only replica."))));
  }
}
