#include "service/security/tls_files.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace backchat::security {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* flag) {
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(flag, "=", path, ": cannot read the file"));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (!absl::StrContains(text.str(), "-----BEGIN ")) {
    return absl::InvalidArgumentError(absl::StrCat(flag, "=", path, ": not a PEM file"));
  }
  return text.str();
}

std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

}  // namespace

absl::StatusOr<TlsMaterial> ReadTlsFiles(const TlsFiles& files) {
  TlsMaterial tls;
  auto cert = ReadPem(files.cert_file, "--tls_cert_file");
  if (!cert.ok()) return cert.status();
  auto key = ReadPem(files.key_file, "--tls_key_file");
  if (!key.ok()) return key.status();
  tls.cert_chain = *std::move(cert);
  tls.private_key = *std::move(key);
  if (!files.client_ca_file.empty()) {
    auto ca = ReadPem(files.client_ca_file, "--tls_client_ca_file");
    if (!ca.ok()) return ca.status();
    tls.client_ca = *std::move(ca);
  }
  // Load them once here, so a wrong pair is reported at startup with the
  // file names instead of failing every handshake.
  auto context = HttpTlsContext(tls);
  if (!context.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--tls_cert_file=", files.cert_file,
                                                   " --tls_key_file=", files.key_file, ": ",
                                                   context.status().message()));
  }
  return tls;
}

std::shared_ptr<grpc::ServerCredentials> GrpcServerCredentials(const TlsMaterial& tls) {
  grpc::SslServerCredentialsOptions options(
      tls.client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                            : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = tls.client_ca;
  options.pem_key_cert_pairs.push_back({tls.private_key, tls.cert_chain});
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<ssl_ctx_st>> HttpTlsContext(const TlsMaterial& tls) {
  std::shared_ptr<SSL_CTX> context(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (context == nullptr) return absl::InternalError("cannot create a TLS context");
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  // The chain: the first certificate is the leaf, the rest go with it.
  std::unique_ptr<BIO, decltype(&BIO_free)> chain(
      BIO_new_mem_buf(tls.cert_chain.data(), static_cast<int>(tls.cert_chain.size())), BIO_free);
  X509* leaf = PEM_read_bio_X509_AUX(chain.get(), nullptr, nullptr, nullptr);
  if (leaf == nullptr || SSL_CTX_use_certificate(context.get(), leaf) != 1) {
    X509_free(leaf);
    return absl::InvalidArgumentError(absl::StrCat("bad certificate: ", OpenSslError()));
  }
  X509_free(leaf);
  while (X509* extra = PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add_extra_chain_cert(context.get(), extra) != 1) {  // takes ownership
      X509_free(extra);
      return absl::InvalidArgumentError(absl::StrCat("bad certificate chain: ", OpenSslError()));
    }
  }
  ERR_clear_error();  // the end of the chain reads as an error
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(
      BIO_new_mem_buf(tls.private_key.data(), static_cast<int>(tls.private_key.size())),
      BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("bad private key: ", OpenSslError()));
  }
  if (SSL_CTX_use_PrivateKey(context.get(), key) != 1) {
    EVP_PKEY_free(key);
    return absl::InvalidArgumentError(
        absl::StrCat("the private key does not match the certificate (", OpenSslError(), ")"));
  }
  EVP_PKEY_free(key);
  if (SSL_CTX_check_private_key(context.get()) != 1) {
    return absl::InvalidArgumentError("the private key does not match the certificate");
  }
  return context;
}

}  // namespace backchat::security
