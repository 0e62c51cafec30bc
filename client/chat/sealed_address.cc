#include "client/chat/sealed_address.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "client/chat/secrets.h"

namespace backchat::chat {
namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

// Its own key, so that the keyed hashes of the same secret reveal nothing
// about it.
std::string SealingKey(absl::string_view secret) {
  return absl::HexStringToBytes(KeyedHash(secret, "backchat check-in address sealing key"));
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(absl::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

absl::StatusOr<std::string> SealAddress(absl::string_view secret, absl::string_view address) {
  const std::string key = SealingKey(secret);
  std::string out(kNonceBytes + address.size() + kTagBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  CipherContext context(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int length = 0;
  if (context == nullptr || RAND_bytes(bytes, kNonceBytes) != 1 ||
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), bytes) != 1 ||
      EVP_EncryptUpdate(context.get(), bytes + kNonceBytes, &length, Bytes(address),
                        static_cast<int>(address.size())) != 1 ||
      EVP_EncryptFinal_ex(context.get(), bytes + kNonceBytes + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          bytes + kNonceBytes + address.size()) != 1) {
    return absl::InternalError("cannot seal an address (OpenSSL failed)");
  }
  return absl::BytesToHexString(out);
}

absl::StatusOr<std::string> OpenAddress(absl::string_view secret, absl::string_view sealed) {
  const std::string key = SealingKey(secret);
  std::string in = absl::HexStringToBytes(sealed);
  if (in.size() < kNonceBytes + kTagBytes) {
    return absl::InvalidArgumentError("a sealed address is too short");
  }
  const size_t size = in.size() - kNonceBytes - kTagBytes;
  std::string address(size, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(in.data());
  CipherContext context(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int length = 0;
  if (context == nullptr ||
      EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), bytes) != 1 ||
      EVP_DecryptUpdate(context.get(), reinterpret_cast<unsigned char*>(address.data()), &length,
                        bytes + kNonceBytes, static_cast<int>(size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes,
                          bytes + kNonceBytes + size) != 1 ||
      EVP_DecryptFinal_ex(context.get(), reinterpret_cast<unsigned char*>(address.data()) + length,
                          &length) != 1) {
    return absl::InvalidArgumentError("a sealed address does not open with this key");
  }
  return address;
}

}  // namespace backchat::chat
