// TLS for BackChat's listeners, from PEM files: a certificate chain and
// its key, and optionally the CA that client certificates must chain to.
#ifndef BACKCHAT_SERVICE_SECURITY_TLS_FILES_H_
#define BACKCHAT_SERVICE_SECURITY_TLS_FILES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace backchat::security {

struct TlsFiles {
  std::string cert_file;       // PEM certificate chain, leaf first
  std::string key_file;        // PEM private key of the leaf
  std::string client_ca_file;  // optional: verify client certificates against it
};

struct TlsMaterial {
  std::string cert_chain;
  std::string private_key;
  std::string client_ca;  // empty: client certificates are not asked for
};

// Reads the files. INVALID_ARGUMENT naming the flag and file that cannot
// be read, is not PEM, or (for the pair) whose key does not match the
// certificate.
absl::StatusOr<TlsMaterial> ReadTlsFiles(const TlsFiles& files);

// For the gRPC listener. With a client CA, a client certificate is asked
// for and, if sent, verified; a call without one still goes through, and
// admin calls can require one (ServerGuards::admin_requires_client_cert).
std::shared_ptr<grpc::ServerCredentials> GrpcServerCredentials(const TlsMaterial& tls);

// For the HTTP listener (HttpServerOptions::tls): TLS 1.2 or later.
absl::StatusOr<std::shared_ptr<ssl_ctx_st>> HttpTlsContext(const TlsMaterial& tls);

}  // namespace backchat::security

#endif  // BACKCHAT_SERVICE_SECURITY_TLS_FILES_H_
