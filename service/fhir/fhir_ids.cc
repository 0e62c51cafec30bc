#include "service/fhir/fhir_ids.h"

#include <openssl/evp.h>

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace backchat::fhir {
namespace {

constexpr size_t kMaxIdLength = 64;

// RFC 9562's namespace for URLs: 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
constexpr uint8_t kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                       0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

// Sets the version nibble and the RFC variant bits, and formats 8-4-4-4-12.
std::string FormatUuid(uint8_t bytes[16], int version) {
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | (version << 4));
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
  const std::string hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), 16));
  return absl::StrCat("urn:uuid:", hex.substr(0, 8), "-", hex.substr(8, 4), "-",
                      hex.substr(12, 4), "-", hex.substr(16, 4), "-", hex.substr(20));
}

bool IsHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string FhirId(absl::string_view text) {
  std::string id(text.substr(0, kMaxIdLength));
  for (char& c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '-';
  }
  return id.empty() ? "-" : id;
}

std::string ComputableName(absl::string_view id) {
  std::string name;
  bool word_start = true;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      word_start = true;
      continue;
    }
    name.push_back(word_start ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c);
    word_start = false;
  }
  if (name.empty() || !absl::ascii_isalpha(static_cast<unsigned char>(name[0]))) {
    name = absl::StrCat("Dialog", name);
  }
  return name;
}

std::string UrnUuidFromRandomHex(absl::string_view hex) {
  if (hex.size() != 32 || !IsHex(hex)) return NameBasedUrnUuid(hex);
  const std::string raw = absl::HexStringToBytes(hex);
  uint8_t bytes[16];
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<uint8_t>(raw[i]);
  return FormatUuid(bytes, 4);
}

std::string NameBasedUrnUuid(absl::string_view name) {
  std::string input(reinterpret_cast<const char*>(kUrlNamespace), sizeof(kUrlNamespace));
  input.append(name.data(), name.size());
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha1(), nullptr);
  return FormatUuid(digest, 5);
}

std::string QuestionnaireUrl(absl::string_view dialog_id) {
  return absl::StrCat("urn:backchat:dialog:", dialog_id);
}

}  // namespace backchat::fhir
