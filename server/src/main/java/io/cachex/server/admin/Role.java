package io.cachex.server.admin;

/** What an admin UI user may do: read only, or read and write (clear and deletePattern after a confirmation). */
public enum Role {
  READ_ONLY("readOnly"), READ_WRITE("readWrite");

  private final String configName;

  Role(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  static Role of(String configName) {
    return "readWrite".equals(configName) ? READ_WRITE : READ_ONLY;
  }
}
