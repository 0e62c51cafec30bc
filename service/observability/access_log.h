// The access log: one line of JSON per call, with no answer, text or
// session id in it. Clients appear as a keyed hash of their address (the
// key is random per process), enough to follow one client within a run.
//   {"time":"2026-11-24T09:30:00.123Z","transport":"grpc",
//    "method":"/backchat.triage.v1.TriageService/SubmitAnswer",
//    "status":"OK","latency_ms":0.412,"client":"3fa9c2d81b7e"}
#ifndef BACKCHAT_SERVICE_OBSERVABILITY_ACCESS_LOG_H_
#define BACKCHAT_SERVICE_OBSERVABILITY_ACCESS_LOG_H_

#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace backchat::observability {

// Thread-safe; each line is written whole.
class AccessLog {
 public:
  // `path`: a file to append to, or "-" for stderr. INVALID_ARGUMENT if
  // the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<AccessLog>> Open(const std::string& path);
  ~AccessLog();

  // `client`: the client's address (hashed before it is written); `key`:
  // the API key's name for admin calls, or "".
  void Write(absl::string_view transport, absl::string_view method, absl::string_view status,
             absl::Duration latency, absl::string_view client, absl::string_view key = "");

 private:
  AccessLog(std::FILE* file, bool owned);
  std::FILE* file_;
  const bool owned_;
  std::string hash_key_;  // random, per process
  absl::Mutex mu_;
};

}  // namespace backchat::observability

#endif  // BACKCHAT_SERVICE_OBSERVABILITY_ACCESS_LOG_H_
