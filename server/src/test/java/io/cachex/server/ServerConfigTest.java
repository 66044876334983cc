package io.cachex.server;

import io.cachex.api.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A misspelt key in any section the launcher reads is refused with its path and the nearest valid name. */
class ServerConfigTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"keyprefix\": \"app\"}                              | unknown option 'keyprefix' (did you mean 'keyPrefix'?)",
      "{\"defaultTimeout\": 60}                              | unknown option 'defaultTimeout' (did you mean 'defaultTimeoutSeconds'?)",
      "{\"redis\": {\"comandTimeout\": 5}}                   | unknown option 'redis.comandTimeout' (did you mean 'redis.commandTimeoutMs'?)",
      "{\"redis\": {\"tls\": {\"cafile\": \"ca.pem\"}}}      | unknown option 'redis.tls.cafile' (did you mean 'redis.tls.caFile'?)",
      "{\"limits\": {\"maxKeyLenght\": 10}}                  | unknown option 'limits.maxKeyLenght' (did you mean 'limits.maxKeyLength'?)",
      "{\"codec\": {\"compresMinLength\": 10}}               | unknown option 'codec.compresMinLength' (did you mean 'codec.compressMinLength'?)",
      "{\"bridges\": {\"tcp\": {\"prot\": 7000}}}            | unknown option 'bridges.tcp.prot' (did you mean 'bridges.tcp.port'?)",
      "{\"bridges\": {\"sockjs\": {\"replyTimeout\": 5}}}    | unknown option 'bridges.sockjs.replyTimeout' (did you mean 'bridges.sockjs.replyTimeoutMs'?)",
      "{\"monitoring\": {\"hots\": \"0.0.0.0\"}}             | unknown option 'monitoring.hots' (did you mean 'monitoring.host'?)",
      "{\"cluster\": {\"clustername\": \"x\"}}               | unknown option 'cluster.clustername' (did you mean 'cluster.clusterName'?)",
      "{\"cluster\": {\"kubernetes\": {\"service\": \"x\"}}} | unknown option 'cluster.kubernetes.service' (did you mean 'cluster.kubernetes.serviceName'?)",
      "{\"startup\": {\"redisWait\": 5}}                     | unknown option 'startup.redisWait' (did you mean 'startup.redisWaitSeconds'?)",
      "{\"tracing\": {\"enable\": true}}                     | unknown option 'tracing.enable' (did you mean 'tracing.enabled'?)",
      "{\"monitor\": {}}                                     | unknown option 'monitor' (did you mean 'monitoring'?)",
      "{\"redis\": {\"type\": \"sentinal\"}}                 | config option 'redis.type' must be one of [standalone, sentinel, cluster, replication], not 'sentinal' (did you mean 'sentinel'?)",
      "{\"bridges\": {\"tcp\": {\"port\": \"7000\"}}}        | config option 'bridges.tcp.port' must be an integer of at least 0, not 7000",
  })
  void misspeltOrWrongOptionsAreRefusedWithTheirPath(String json, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.read(new JsonObject(json), false));
    assertEquals(message, e.getMessage());
  }
}
