package io.cachex.servers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for a server started by this module: PEM files for the server certificate, its key and the
 * CA. When TLS is on the server listens with {@code --tls-port <port> --port 0}, and
 * {@link RedisServer#uri()} starts with {@code rediss://}.
 *
 * <p>Our own admin/readiness connections trust {@code caCertFile} and present {@code certFile}/{@code keyFile}
 * as client certificate (the key must be PKCS#8, "BEGIN PRIVATE KEY", which is what OpenSSL 3 writes).
 */
public final class TlsOptions {

  private final Path certFile;
  private final Path keyFile;
  private final Path caCertFile;
  private String authClients = "no";
  private boolean replication = true;
  private boolean cluster = true;

  public TlsOptions(Path certFile, Path keyFile, Path caCertFile) {
    this.certFile = Objects.requireNonNull(certFile, "certFile");
    this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
    this.caCertFile = Objects.requireNonNull(caCertFile, "caCertFile");
  }

  /** {@code tls-auth-clients}: "no" (our default), "yes" (the server's default) or "optional". */
  public TlsOptions authClients(String value) {
    this.authClients = value;
    return this;
  }

  /** {@code tls-replication} (default true): replicas talk TLS to their primary. */
  public TlsOptions replication(boolean on) {
    this.replication = on;
    return this;
  }

  /** {@code tls-cluster} (default true): the cluster bus uses TLS (ignored unless cluster mode). */
  public TlsOptions cluster(boolean on) {
    this.cluster = on;
    return this;
  }

  public Path certFile() {
    return certFile;
  }

  public Path keyFile() {
    return keyFile;
  }

  public Path caCertFile() {
    return caCertFile;
  }

  public String authClients() {
    return authClients;
  }

  List<String> serverArgs() {
    List<String> args = new ArrayList<>(List.of(
        "--tls-cert-file", certFile.toString(),
        "--tls-key-file", keyFile.toString(),
        "--tls-ca-cert-file", caCertFile.toString()));
    if (authClients != null) {
      args.addAll(List.of("--tls-auth-clients", authClients));
    }
    if (replication) {
      args.addAll(List.of("--tls-replication", "yes"));
    }
    return args;
  }

  boolean tlsCluster() {
    return cluster;
  }

  /** A socket factory that trusts the CA and presents cert/key as client certificate. */
  public SSLSocketFactory socketFactory() {
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate ca : readCertificates(x509, caCertFile)) {
        trust.setCertificateEntry("ca" + i++, ca);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);

      KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
      identity.load(null, null);
      char[] none = new char[0];
      identity.setKeyEntry("client", readPkcs8Key(keyFile), none,
          readCertificates(x509, certFile).toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(identity, none);

      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS client context from " + certFile + ", " + keyFile
          + ", " + caCertFile + ": " + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> readCertificates(CertificateFactory x509, Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return x509.generateCertificates(in);
    }
  }

  private static PrivateKey readPkcs8Key(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < 0) {
      throw new GeneralSecurityException("expected a PKCS#8 PEM key (BEGIN PRIVATE KEY) in " + file);
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }
}
