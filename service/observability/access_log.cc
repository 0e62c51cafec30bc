#include "service/observability/access_log.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "service/common/proto_json.h"

namespace backchat::observability {

absl::StatusOr<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path) {
  if (path == "-") return std::unique_ptr<AccessLog>(new AccessLog(stderr, false));
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("--access_log=", path, ": cannot open the file"));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(file, true));
}

AccessLog::AccessLog(std::FILE* file, bool owned) : file_(file), owned_(owned) {
  unsigned char key[32];
  RAND_bytes(key, sizeof(key));
  hash_key_.assign(reinterpret_cast<const char*>(key), sizeof(key));
}

AccessLog::~AccessLog() {
  if (owned_) std::fclose(file_);
}

void AccessLog::Write(absl::string_view transport, absl::string_view method,
                      absl::string_view status, absl::Duration latency, absl::string_view client,
                      absl::string_view key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), hash_key_.data(), static_cast<int>(hash_key_.size()),
       reinterpret_cast<const unsigned char*>(client.data()), client.size(), digest, &length);
  std::string line = absl::StrCat(
      "{\"time\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
      "\",\"transport\":");
  http::AppendJsonString(transport, &line);
  line += ",\"method\":";
  http::AppendJsonString(method, &line);
  line += ",\"status\":";
  http::AppendJsonString(status, &line);
  absl::StrAppend(&line, ",\"latency_ms\":",
                  absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(latency)), ",\"client\":\"",
                  absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), 6)),
                  "\"");
  if (!key.empty()) {
    line += ",\"key\":";
    http::AppendJsonString(key, &line);
  }
  line += "}\n";
  absl::MutexLock lock(&mu_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace backchat::observability
