#include "service/security/api_keys.h"

#include <openssl/crypto.h>

#include <fstream>
#include <sstream>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace backchat::security {
namespace {

constexpr size_t kMinKeyLength = 24;
constexpr const char* kScopes[] = {"dialogs", "records", "privacy", "metrics", "reports", "*"};

bool IsKeyCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::StrContains("_.~+/=-", c);
}

// Equal contents in time that depends only on the lengths.
bool SameKey(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

absl::StatusOr<std::vector<ApiKey>> ParseApiKeys(absl::string_view text,
                                                 absl::string_view path) {
  std::vector<ApiKey> keys;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_number, ": ", what));
    };
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 3) return error("expected NAME SCOPE[,SCOPE...] KEY");
    ApiKey key{std::string(fields[0]), {}, std::string(fields[2])};
    for (absl::string_view scope : absl::StrSplit(fields[1], ',')) {
      if (!absl::c_linear_search(kScopes, scope)) {
        return error(absl::StrCat("unknown scope \"", scope,
                                  "\" (dialogs, records, privacy, metrics, reports or *)"));
      }
      key.scopes.emplace_back(scope);
    }
    if (key.key.size() < kMinKeyLength || !absl::c_all_of(key.key, IsKeyCharacter)) {
      return error(absl::StrCat("the key of \"", key.name, "\" must be at least ",
                                kMinKeyLength, " characters of A-Z a-z 0-9 _ . ~ + / = -"));
    }
    for (const ApiKey& other : keys) {
      if (other.name == key.name) return error(absl::StrCat("\"", key.name, "\" appears twice"));
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

absl::StatusOr<std::unique_ptr<ApiKeyring>> ApiKeyring::Load(const std::string& path) {
  auto keyring = std::make_unique<ApiKeyring>();
  keyring->path_ = path;
  const absl::Status loaded = keyring->Reload();
  if (!loaded.ok()) return loaded;
  return keyring;
}

std::unique_ptr<ApiKeyring> ApiKeyring::FromKeys(std::vector<ApiKey> keys) {
  auto keyring = std::make_unique<ApiKeyring>();
  keyring->keys_ = std::make_shared<const std::vector<ApiKey>>(std::move(keys));
  return keyring;
}

absl::Status ApiKeyring::Reload() {
  if (path_.empty()) return absl::OkStatus();
  std::ifstream in(path_);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(path_, ": cannot read the API key file"));
  std::stringstream text;
  text << in.rdbuf();
  auto keys = ParseApiKeys(text.str(), path_);
  if (!keys.ok()) return keys.status();
  absl::MutexLock lock(&mu_);
  keys_ = std::make_shared<const std::vector<ApiKey>>(*std::move(keys));
  return absl::OkStatus();
}

size_t ApiKeyring::size() const {
  absl::MutexLock lock(&mu_);
  return keys_ == nullptr ? 0 : keys_->size();
}

absl::StatusOr<std::string> ApiKeyring::Authorize(absl::string_view authorization,
                                                  absl::string_view scope) const {
  std::shared_ptr<const std::vector<ApiKey>> keys;
  {
    absl::MutexLock lock(&mu_);
    keys = keys_;
  }
  if (keys == nullptr || keys->empty()) {
    return absl::UnauthenticatedError(
        "admin calls need an API key, and this server has none (--admin_keys_file)");
  }
  absl::string_view presented = authorization;
  if (!absl::ConsumePrefix(&presented, "Bearer ")) {
    return absl::UnauthenticatedError("send an API key as \"authorization: Bearer KEY\"");
  }
  // Every key is compared, so the time taken does not say which matched.
  const ApiKey* match = nullptr;
  for (const ApiKey& key : *keys) {
    if (SameKey(key.key, presented)) match = &key;
  }
  if (match == nullptr) return absl::UnauthenticatedError("unknown API key");
  if (!absl::c_linear_search(match->scopes, scope) &&
      !absl::c_linear_search(match->scopes, "*")) {
    return absl::PermissionDeniedError(
        absl::StrCat("API key \"", match->name, "\" lacks the \"", scope, "\" scope"));
  }
  return match->name;
}

}  // namespace backchat::security
