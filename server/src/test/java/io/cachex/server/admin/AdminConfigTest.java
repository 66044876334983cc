package io.cachex.server.admin;

import io.cachex.api.config.ConfigException;
import io.cachex.api.config.ConfigSection;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin section: off by default, loopback unless users log in, users carry hashes and roles. */
class AdminConfigTest {
  static AdminConfig read(String json) {
    ConfigSection root = ConfigSection.root(new JsonObject(json));
    ConfigSection section = root.section("admin");
    AdminConfig config = new AdminConfig(section);
    section.rejectUnknown();
    return config;
  }

  @Test
  void offByDefaultAndOnLoopbackWithoutLogin() {
    AdminConfig none = read("{}");
    assertNull(none.port);
    AdminConfig local = read("{\"admin\": {\"port\": 9401}}");
    assertEquals("127.0.0.1", local.host);
    assertFalse(local.authRequired());
    assertEquals(Role.READ_ONLY, local.localRole);
    assertEquals(Role.READ_WRITE, read("{\"admin\": {\"port\": 9401, \"localRole\": \"readWrite\"}}").localRole);
    read("{\"admin\": {\"port\": 9401, \"host\": \"::1\"}}");
    read("{\"admin\": {\"port\": 9401, \"host\": \"localhost\"}}");
  }

  @Test
  void aNonLoopbackHostWithoutUsersIsRefused() {
    for (String host : new String[] {"0.0.0.0", "10.0.0.5", "admin.example.com", "::"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> read("{\"admin\": {\"port\": 9401, \"host\": \"" + host + "\"}}"));
      assertEquals("config option 'admin.host' is " + host + ", not a loopback interface: the admin UI needs admin.users "
          + "(with password hashes) to listen there", e.getMessage());
    }
    String hash = Passwords.hash("s3cret".toCharArray(), 1000);
    AdminConfig open = read("{\"admin\": {\"port\": 9401, \"host\": \"0.0.0.0\", \"users\": {\"ops\": {\"passwordHash\": \"" + hash
        + "\", \"role\": \"readWrite\"}}}}");
    assertTrue(open.authRequired());
    assertEquals(Role.READ_WRITE, open.users.get("ops").role());
  }

  @Test
  void usersNeedAHashAndARoleNeverAPassword() {
    ConfigException plain = assertThrows(ConfigException.class,
        () -> read("{\"admin\": {\"port\": 1, \"users\": {\"ops\": {\"passwordHash\": \"hunter2\", \"role\": \"readOnly\"}}}}"));
    assertTrue(plain.getMessage().startsWith("config option 'admin.users.ops.passwordHash' must be a hash made by"), plain.getMessage());
    assertFalse(plain.getMessage().contains("hunter2"), "the message never repeats a secret");
    String hash = Passwords.hash("x".toCharArray(), 1000);
    assertThrows(ConfigException.class,
        () -> read("{\"admin\": {\"port\": 1, \"users\": {\"ops\": {\"passwordHash\": \"" + hash + "\", \"role\": \"admin\"}}}}"));
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> read("{\"admin\": {\"port\": 1, \"users\": {\"ops\": {\"password\": \"x\", \"role\": \"readOnly\"}}}}"));
    assertTrue(unknown.getMessage().startsWith("unknown option 'admin.users.ops.password'"), unknown.getMessage());
    ConfigException misspelt = assertThrows(ConfigException.class, () -> read("{\"admin\": {\"prot\": 9401}}"));
    assertEquals("unknown option 'admin.prot' (did you mean 'admin.port'?)", misspelt.getMessage());
  }

  @Test
  void passwordsVerifyAgainstTheirHashOnly() {
    String hash = Passwords.hash("correct horse".toCharArray(), 1000);
    assertTrue(hash.startsWith("pbkdf2-sha256:1000:"));
    assertTrue(Passwords.verify("correct horse".toCharArray(), hash));
    assertFalse(Passwords.verify("correct horse!".toCharArray(), hash));
    assertFalse(Passwords.verify("correct horse".toCharArray(), "pbkdf2-sha256:1000:AAAA:AAAA"));
    assertTrue(Passwords.hash("a".toCharArray()).startsWith("pbkdf2-sha256:" + Passwords.ITERATIONS + ":"));
  }

  @Test
  void rolesFollowTheActionTraits() {
    AdminPolicy policy = new AdminPolicy();
    assertNull(policy.refusal(Role.READ_ONLY, "get", null));
    assertNull(policy.refusal(Role.READ_ONLY, "browseKeys", null));
    assertTrue(policy.refusal(Role.READ_ONLY, "set", null).contains("may only read"));
    assertTrue(policy.refusal(Role.READ_ONLY, "replaceIfUnchanged", null).contains("may only read"));
    assertNull(policy.refusal(Role.READ_WRITE, "replaceIfUnchanged", null));
    assertTrue(policy.refusal(Role.READ_WRITE, "clear", null).contains("confirm"));
    assertNull(policy.refusal(Role.READ_WRITE, "clear", "clear"));
    assertTrue(policy.refusal(Role.READ_ONLY, "clear", "clear").contains("may only read"));
    assertTrue(policy.refusal(Role.READ_WRITE, "evalScript", null).contains("not available"));
    assertTrue(policy.refusal(Role.READ_WRITE, "blpop", null).contains("not available"));
    assertTrue(policy.refusal(Role.READ_WRITE, "pipeline", null).contains("not available"));
    assertTrue(policy.refusal(Role.READ_WRITE, "nope", null).startsWith("unknown action"));
  }
}
